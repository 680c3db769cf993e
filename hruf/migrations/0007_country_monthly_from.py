"""Country.monthly_from: the day monthly reporting starts under enhanced reporting.

Countries already under enhanced reporting keep reporting monthly: the new column is empty for them,
and empty means "monthly since before this was recorded" (hruf.models.places.Country), so no row
needs writing. Only a confirmation from now on sets a start date, the first day of the next month.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hruf', '0006_notification_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='country',
            name='monthly_from',
            field=models.DateField(blank=True, help_text='First day of the first monthly period. Empty: monthly on every day while enhanced reporting is on.', null=True, verbose_name='monthly reporting from'),
        ),
    ]
