"""The Celery application and the one place where the beat schedule is declared."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hruf.settings")

app = Celery("hruf")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Safety net for the outbox: picks up notifications whose delivery was never
    # enqueued (broker down at commit) or whose worker died mid-delivery.
    "notifications-redeliver": {
        "task": "hruf.tasks.notifications_redeliver_task",
        "schedule": crontab(minute="*"),
    },
    # Follow-up enforcement (followup/enforcement.py). Each sweep is idempotent, so a beat
    # that fires twice, or two beats, cost a little work and never a duplicate message.
    "followup-overdue": {"task": "followup.tasks.sweep_overdue", "schedule": crontab(minute="5")},
    "followup-reminders": {"task": "followup.tasks.sweep_reminders", "schedule": crontab(minute="10")},
    "followup-scans-due": {"task": "followup.tasks.sweep_scans_due", "schedule": crontab(minute="15")},
    "followup-outcomes": {"task": "followup.tasks.sweep_outcomes", "schedule": crontab(minute="35")},
    "followup-digests": {
        "task": "followup.tasks.sweep_digests",
        "schedule": crontab(minute="0", hour="6", day_of_week="monday"),
    },
    # The dashboard's closed actions' counts (followup/tally.py), recounted; a difference is logged.
    "followup-recount-closed": {"task": "followup.tasks.recount_closed_actions",
                                "schedule": crontab(minute="40", hour="2")},
    # The warnings ledger (scans/ledger_sweeps.py): an imminent alert has hours, so the chase runs often.
    "warnings-unacknowledged": {"task": "scans.tasks.sweep_unacknowledged", "schedule": crontab(minute="*/5")},
    "warnings-silence": {"task": "scans.tasks.sweep_silence", "schedule": crontab(minute="20")},
    # Commitments from decisions (reviews/commitment_sweeps.py): due dates are days away, so hourly.
    "commitments-missed": {"task": "reviews.tasks.sweep_commitments", "schedule": crontab(minute="25")},
    # Export files past EXPORT_KEEP_DAYS are deleted (exports/sweeps.py).
    "exports-expire": {"task": "exports.tasks.sweep_expired_exports", "schedule": crontab(minute="45")},
    # Restricted evidence past RESTRICTED_EVIDENCE_MONTHS is withheld (scans/retention.py).
    "evidence-retire": {"task": "scans.tasks.sweep_restricted_evidence", "schedule": crontab(minute="50", hour="3")},
    # The previous month's briefing for Security Council political coordinators. One row per
    # month (a unique key), so a second beat or a redelivered task makes nothing new.
    "briefings-monthly": {
        "task": "briefings.tasks.briefing_monthly_task",
        "schedule": crontab(minute="0", hour="5", day_of_month="1"),
    },
}
