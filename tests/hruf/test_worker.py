"""Delivery through a real Celery worker on the configured broker (Redis in CI, the filesystem broker locally)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from hruf import celery_app
from hruf.models import Notification
from scans import services


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_alert_notifications_once(country_a, officer_a, chair_a, eosg):
    celery_app.conf.task_always_eager = False
    # Messages left on the shared broker by earlier runs would only delay this worker.
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # Committed at once (no surrounding transaction), so delivery is enqueued on the broker.
        services.alert_raise(
            country=country_a, actor=officer_a, title="Attack", location="North", severity="severe", description="d"
        )
        assert _wait_for(lambda: Notification.objects.filter(email_state="sent").count() == 2), list(
            Notification.objects.values_list("email_state", "email_error")
        )
        # A duplicate message for the same rows finds them claimed and sends nothing.
        from hruf.tasks import deliver_notification

        for pk in Notification.objects.values_list("pk", flat=True):
            deliver_notification.delay(pk)
        time.sleep(1)
    assert sorted(m.to[0] for m in mail.outbox) == ["chair_a@example.org", "eosg@example.org"]
    assert settings.CELERY_BROKER_URL.startswith("redis://" if settings.REDIS_URL else "filesystem://")
