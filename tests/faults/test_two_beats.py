"""Two `celery beat` processes running at once (a second one left behind by a deploy, say), both
firing the enforcement sweeps every second onto two workers: every reminder and every step of the
overdue ladder is recorded once and emailed once."""

import datetime as dt
import time
from collections import Counter

import pytest
from django.db.models import Count
from django.utils import timezone

from followup.models import Action, EnforcementEvent, Plan
from hruf.models import Notification
from scans.models import Alert

from .conftest import needs_postgres
from .services import wait_for

EVERY_SECOND = "tests.faults.beat_every_second"

pytestmark = [pytest.mark.faults, needs_postgres, pytest.mark.django_db(transaction=True)]
OVERDUE, DUE_TOMORROW = 40, 20


def _actions(country, officer, owner) -> None:
    today = timezone.localdate()
    alert = Alert.objects.create(country=country, title="t", location="l", severity="serious", description="d",
                                 raised_by=officer)
    plan = Plan.objects.create(country=country, title="p", source_alert=alert, created_by=officer)
    lead = owner.roles.get().entity
    Action.objects.bulk_create(
        [Action(plan=plan, title=f"late {i}", lead_entity=lead, owner=owner, deadline=today - dt.timedelta(days=30))
         for i in range(OVERDUE)]
        + [Action(plan=plan, title=f"soon {i}", lead_entity=lead, owner=owner, deadline=today + dt.timedelta(days=1))
           for i in range(DUE_TOMORROW)]
    )


def test_two_beats_at_once_send_every_reminder_and_escalation_once(
    launch, redis_server, smtp, real_tasks, country_a, officer_a, owner, chair_a, eosg
):
    _actions(country_a, officer_a, owner)
    # The production scheduler (Celery's own) with the sweeps on a one-second schedule.

    env = launch.env(REDIS_URL=redis_server.url, EMAIL_URL=smtp.url)
    for name in ("worker-1", "worker-2"):
        launch.worker(env, name=name, concurrency=2)
    beats = [launch.beat(env, name, app=EVERY_SECOND) for name in ("beat-1", "beat-2")]

    # Each overdue action: owner, chair and EOSG steps (four emails); each due tomorrow: a reminder.
    events, emails = 3 * OVERDUE + DUE_TOMORROW, 4 * OVERDUE + DUE_TOMORROW

    def done():
        return (EnforcementEvent.objects.count() >= events and Notification.objects.count() >= emails
                and not Notification.objects.exclude(email_state="sent").exists())

    assert wait_for(done, 120), launch.logs()
    time.sleep(3)  # both beats keep firing both sweeps over rows already handled
    for beat in beats:
        beat.stop()
    logs = [(launch.tmp_path / p).read_text() for p in sorted(p.name for p in launch.tmp_path.glob("*beat-*.log"))]
    for log in logs:  # both beats really were sending, not one waiting for the other
        assert log.count("Sending due task fault sweep_overdue") >= 3, log[-2000:]

    assert EnforcementEvent.objects.count() == events
    per_action = Counter(
        EnforcementEvent.objects.values("action").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert per_action == {3: OVERDUE, 1: DUE_TOMORROW}
    assert Notification.objects.count() == emails
    expected = Counter((n.recipient.email, n.subject) for n in Notification.objects.select_related("recipient"))
    assert smtp.sent() == expected and set(expected.values()) == {1}
