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
}
