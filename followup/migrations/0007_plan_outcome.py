"""Plans close with an outcome: when each action was closed, the scores at adoption (filled in for the
plans adopted before this), the outcome's fields and its chase."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    Action = apps.get_model("followup", "Action")
    ActionUpdate = apps.get_model("followup", "ActionUpdate")
    Plan = apps.get_model("followup", "Plan")
    ScanRevision = apps.get_model("scans", "ScanRevision")
    Action.objects.filter(status="done").update(closed_at=models.F("completed_at"))
    for action in Action.objects.filter(status="cancelled"):
        last = ActionUpdate.objects.filter(action=action, status="cancelled").order_by("-created_at").first()
        action.closed_at = last.created_at if last else action.created_at
        action.save(update_fields=["closed_at"])
    for plan in Plan.objects.all():
        revision = (ScanRevision.objects.filter(scan__country_id=plan.country_id, status="submitted",
                                                submitted_at__lte=plan.created_at)
                    .order_by("-scan__period_start", "-number").first())
        if revision is not None:
            plan.adoption_score, plan.adoption_tier = revision.score, revision.tier
            plan.save(update_fields=["adoption_score", "adoption_tier"])


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0006_deadline_changes'),
        ('scans', '0008_alert_submission_key'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='action',
            name='closed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='closed at'),
        ),
        migrations.AddField(
            model_name='enforcementevent',
            name='plan',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='followup.plan'),
        ),
        migrations.AddField(
            model_name='plan',
            name='actions_cancelled',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='actions cancelled'),
        ),
        migrations.AddField(
            model_name='plan',
            name='actions_late',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='actions done late'),
        ),
        migrations.AddField(
            model_name='plan',
            name='actions_on_time',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='actions done on time'),
        ),
        migrations.AddField(
            model_name='plan',
            name='adoption_score',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='score at adoption'),
        ),
        migrations.AddField(
            model_name='plan',
            name='adoption_tier',
            field=models.CharField(blank=True, choices=[('low', 'Low'), ('moderate', 'Moderate'), ('high', 'High'), ('very_high', 'Very high')], max_length=10, verbose_name='tier at adoption'),
        ),
        migrations.AddField(
            model_name='plan',
            name='closed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='closed by'),
        ),
        migrations.AddField(
            model_name='plan',
            name='closing_score',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='score at closing'),
        ),
        migrations.AddField(
            model_name='plan',
            name='closing_tier',
            field=models.CharField(blank=True, choices=[('low', 'Low'), ('moderate', 'Moderate'), ('high', 'High'), ('very_high', 'Very high')], max_length=10, verbose_name='tier at closing'),
        ),
        migrations.AddField(
            model_name='plan',
            name='helped',
            field=models.CharField(blank=True, choices=[('yes', 'Yes'), ('partly', 'Partly'), ('no', 'No'), ('unknown', 'Too early to tell')], max_length=8, verbose_name='did it help?'),
        ),
        migrations.AddField(
            model_name='plan',
            name='lock_version',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='plan',
            name='outcome',
            field=models.TextField(blank=True, max_length=5000, verbose_name='what happened'),
        ),
        migrations.AddField(
            model_name='plan',
            name='outcome_step',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name='enforcementevent',
            name='kind',
            field=models.CharField(choices=[('reminder', 'Deadline reminder'), ('overdue_owner', 'Overdue: owner notified'), ('overdue_chair', 'Overdue: escalated to the regional chair'), ('overdue_eosg', 'Overdue: escalated to EOSG'), ('scan_reminder', 'Scan due: officers reminded'), ('scan_overdue', 'Scan overdue: chair notified'), ('risk_jump', 'Risk jump: chair notified'), ('digest', 'Weekly digest'), ('outcome_chair', 'Plan outcome missing: chair notified'), ('outcome_eosg', 'Plan outcome missing: escalated to EOSG')], max_length=16, verbose_name='kind'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
