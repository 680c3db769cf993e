"""A SAG agenda takes each case as an item of its own; an RQR agenda still holds a country once.

"One item per country" now binds only items without a source (every RQR item, and a country a SAG
adds by hand); an escalated RQR item or a flagged alert is on at most one SAG item. Rows written
before already meet this (sag_take refused a case that was on an agenda), so no data moves. A SAG
item that took two cases of one country before this keeps what it held: both links when they
were an escalation and an alert; only the later one when both were escalations.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hruf', '0006_notification_codes'),
        ('reviews', '0002_reason_codes'),
        ('scans', '0004_external_risk'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='agendaitem',
            name='one_item_per_country',
        ),
        migrations.AddConstraint(
            model_name='agendaitem',
            constraint=models.UniqueConstraint(condition=models.Q(('source_alert__isnull', True), ('source_item__isnull', True)), fields=('meeting', 'country'), name='one_item_per_country'),
        ),
        migrations.AddConstraint(
            model_name='agendaitem',
            constraint=models.UniqueConstraint(condition=models.Q(('source_item__isnull', False)), fields=('source_item',), name='one_sag_item_per_source_item'),
        ),
        migrations.AddConstraint(
            model_name='agendaitem',
            constraint=models.UniqueConstraint(condition=models.Q(('source_alert__isnull', False)), fields=('source_alert',), name='one_sag_item_per_source_alert'),
        ),
    ]
