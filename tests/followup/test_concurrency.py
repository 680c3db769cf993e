"""Two sweeps at once, and a worker killed with SIGKILL mid-sweep: no step twice, none lost.

These need a database that several connections and processes share, so they run on
PostgreSQL (CI sets DATABASE_URL); the worker test also needs Redis (REDIS_URL).
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.models import Count

from followup import enforcement
from followup.models import Action, EnforcementEvent, Plan
from hruf import celery_app
from hruf.models import Notification
from scans.models import Alert

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL (CI)"
    ),
]
TODAY = dt.date(2026, 6, 1)


def _overdue_actions(country, officer, owner, n: int) -> None:
    alert = Alert.objects.create(country=country, title="t", location="l", severity="serious", description="d",
                                 raised_by=officer)
    plan = Plan.objects.create(country=country, title="p", source_alert=alert, created_by=officer)
    lead = owner.roles.get().entity
    Action.objects.bulk_create(
        Action(plan=plan, title=f"a{i}", lead_entity=lead, owner=owner, deadline=TODAY - dt.timedelta(days=30))
        for i in range(n)
    )


def _assert_each_step_once(n: int) -> None:
    per_action = EnforcementEvent.objects.values("action").annotate(c=Count("id")).values_list("c", flat=True)
    assert list(per_action) == [3] * n  # owner, chair, EOSG: each step once
    assert EnforcementEvent.objects.values("key").distinct().count() == 3 * n
    # One notification per recipient per step: owner (step 1 and 2), chair (2), EOSG (3).
    assert Notification.objects.count() == 4 * n


def test_two_sweeps_at_once_send_each_step_once(country_a, officer_a, owner, chair_a, eosg):
    _overdue_actions(country_a, officer_a, owner, 60)
    now = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait()
            results.append(enforcement.sweep_overdue(now=now).done)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(results) == 3 * 60  # the work was shared, not repeated
    _assert_each_step_once(60)


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (CI)")
def test_a_worker_killed_mid_sweep_loses_nothing_and_repeats_nothing(country_a, officer_a, owner, chair_a, eosg):
    n = 400
    _overdue_actions(country_a, officer_a, owner, n)
    queue = f"test-kill-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "CELERY_TASK_ALWAYS_EAGER": "false"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hruf", "worker", "-Q", queue, "-c", "1", "--loglevel", "WARNING"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        from followup.tasks import sweep_overdue

        celery_app.conf.task_always_eager = False
        sweep_overdue.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while EnforcementEvent.objects.count() < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool child, mid-sweep
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        # The killed worker enqueued deliveries for rows this test database forgets at teardown.
        celery_app.control.purge()
    done = EnforcementEvent.objects.count()
    assert 0 < done < 3 * n, "the kill did not land in the middle of the sweep"
    # Every committed step is whole: its event with its notifications, never one without the other.
    assert Notification.objects.count() == sum(
        {"overdue_owner": 1, "overdue_chair": 2, "overdue_eosg": 1}[k]
        for k in EnforcementEvent.objects.values_list("kind", flat=True)
    )
    # The next run (the next beat, or the redelivered task) finishes the job exactly once.
    enforcement.sweep_overdue()
    _assert_each_step_once(n)


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_a_sweep_racing_deadline_extensions_never_steps_an_extended_action(country_a, officer_a, owner, chair_a, eosg):
    """The sweep claims a row on its deadline as read; the extension moves the deadline and resets the
    ladder in one compare-and-set. Whichever commits first, every extended action ends at step 0
    and no step is recorded against its new deadline."""
    from followup import services

    _overdue_actions(country_a, officer_a, owner, 60)
    old = TODAY - dt.timedelta(days=30)
    new = TODAY + dt.timedelta(days=30)
    now = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)
    barrier, errors = threading.Barrier(2), []

    def sweep():
        enforcement.sweep_overdue(now=now)

    def extend():
        for action in Action.objects.order_by("-pk"):  # from the other end of the sweep's order
            services.action_extend(action=action, actor=chair_a, new_deadline=new, reason="Visa delayed",
                                   lock_version=action.lock_version, today=TODAY)

    def run(work):
        try:
            barrier.wait()
            work()
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in (sweep, extend)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert set(Action.objects.values_list("deadline", "overdue_step", "reminders_sent")) == {(new, 0, 0)}
    keys = list(EnforcementEvent.objects.values_list("key", flat=True))
    assert all(f":{old}:" in key for key in keys)
    assert len(keys) == len(set(keys))
