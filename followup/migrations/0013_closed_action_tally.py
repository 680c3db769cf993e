"""The closed actions' tally (followup.tally), counted from the actions already closed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, F
from django.db.models.functions import TruncMonth


def count_closed(apps, schema_editor):
    Action = apps.get_model("followup", "Action")
    Tally = apps.get_model("followup", "ClosedActionTally")
    rows = (Action.objects.filter(status__in=["done", "cancelled"]).order_by()
            .values("lead_entity_id", "status", region=F("plan__country__region_id"), month=TruncMonth("deadline"))
            .annotate(n=Count("pk")))
    Tally.objects.bulk_create([Tally(lead_entity_id=r["lead_entity_id"], region_id=r["region"], month=r["month"],
                                     status=r["status"], count=r["n"]) for r in rows], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0012_action_log_codes'),
        ('hruf', '0013_reference_translations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ClosedActionTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the deadline's month.")),
                ('status', models.CharField(choices=[('done', 'Done'), ('cancelled', 'Cancelled')], max_length=12)),
                ('count', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'closed actions count',
                'verbose_name_plural': 'closed actions counts',
            },
        ),
        migrations.AddIndex(
            model_name='action',
            index=models.Index(condition=models.Q(('status', 'done')), fields=['completed_at'], name='action_done_by_completion'),
        ),
        migrations.AddField(
            model_name='closedactiontally',
            name='lead_entity',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='hruf.entity'),
        ),
        migrations.AddField(
            model_name='closedactiontally',
            name='region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='hruf.region'),
        ),
        migrations.AddConstraint(
            model_name='closedactiontally',
            constraint=models.UniqueConstraint(fields=('lead_entity', 'region', 'month', 'status'), name='closed_tally_key'),
        ),
        migrations.RunPython(count_closed, migrations.RunPython.noop),
    ]
