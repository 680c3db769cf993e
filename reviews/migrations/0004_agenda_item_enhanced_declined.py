"""EOSG may decline a recommendation of enhanced reporting (who, when, why), as it may confirm one;
an item is confirmed or declined, never both. Existing rows have no decline."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hruf', '0007_country_monthly_from'),
        ('reviews', '0003_agenda_item_one_per_sag_case'),
        ('scans', '0004_external_risk'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='agendaitem',
            name='enhanced_decline_reason',
            field=models.TextField(blank=True, max_length=4000, verbose_name='why enhanced reporting was declined'),
        ),
        migrations.AddField(
            model_name='agendaitem',
            name='enhanced_declined_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='agendaitem',
            name='enhanced_declined_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='agendaitem',
            constraint=models.CheckConstraint(condition=models.Q(('enhanced_confirmed_at__isnull', True), ('enhanced_declined_at__isnull', True), _connector='OR'), name='enhanced_reporting_confirmed_or_declined'),
        ),
    ]
