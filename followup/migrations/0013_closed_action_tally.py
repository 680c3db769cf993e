"""The closed actions' tally (followup.tally), counted from the actions already closed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth


def count_closed(apps, schema_editor):
    """As followup.tally.recount counts them (its rule for a benchmark met on time frozen here)."""
    Action = apps.get_model("followup", "Action")
    Benchmark = apps.get_model("followup", "Benchmark")
    Tally = apps.get_model("followup", "ClosedActionTally")
    closed = Action.objects.filter(status__in=["done", "cancelled"]).order_by()
    rows = {}
    for r in (closed.values("lead_entity_id", "status", region=F("plan__country__region_id"), month=TruncMonth("deadline"))
              .annotate(n=Count("pk"))):
        rows[r["lead_entity_id"], r["region"], r["month"], r["status"]] = Tally(
            lead_entity_id=r["lead_entity_id"], region_id=r["region"], month=r["month"], status=r["status"], count=r["n"])
    met = Q(met_at__isnull=False)
    for r in (Benchmark.objects.filter(action__in=closed.values("pk")).order_by()
              .values(entity=F("action__lead_entity_id"), action_status=F("action__status"),
                      region=F("action__plan__country__region_id"), month=TruncMonth("action__deadline"))
              .annotate(n=Count("pk"), met=Count("pk", filter=met),
                        on_time=Count("pk", filter=met & Q(met_at__date__lte=F("due_date"))))):
        row = rows[r["entity"], r["region"], r["month"], r["action_status"]]
        row.benchmarks, row.benchmarks_met, row.benchmarks_on_time = r["n"], r["met"], r["on_time"]
    Tally.objects.bulk_create(rows.values(), batch_size=1000)


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
                ('benchmarks', models.IntegerField(default=0)),
                ('benchmarks_met', models.IntegerField(default=0)),
                ('benchmarks_on_time', models.IntegerField(default=0)),
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
