"""The warnings ledger's sweeps with two at once, and with a worker killed by SIGKILL in the middle
of the chase: each ladder step is recorded once and told once, none lost (STYLE.md point 5).

As tests/followup/test_concurrency.py: several connections and processes share the database, so
these run on PostgreSQL (CI sets DATABASE_URL); the worker test also needs Redis (REDIS_URL).
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from hruf import celery_app
from hruf.models import Notification, Role
from scans import ledger, ledger_sweeps, notices, services, tasks
from scans.models import Alert, EarlyWarning, WarningStep
from scans.periods import Period

from ..factories import CountryFactory, UserFactory, file_scan, grant

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL (CI)"
    ),
]
IMMINENT = EarlyWarning.Severity.IMMINENT
# Who hears of each rung for an urgent alert in region A: its chair and EOSG, then the SAG.
TOLD = {1: {"chair_a", "eosg"}, 2: {"sag"}}


def _at_once(sweep, now: dt.datetime) -> list:
    """Run `sweep(now=now)` in two threads released together; their results, or the first error."""
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait()
            results.append(sweep(now=now))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(results) == 2, "a sweep did not finish in time"
    return results


def _bulk_imminent_warnings(country, officer, n: int, raised_at: dt.datetime) -> list[EarlyWarning]:
    """`n` imminent alerts with their warnings and first steps, as alert_raise leaves them, in bulk."""
    alerts = Alert.objects.bulk_create(
        Alert(country=country, raised_by=officer, title=f"Militia attack {i}", location="North", severity=IMMINENT,
              description="d") for i in range(n)
    )
    Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(raised_at=raised_at)  # auto_now_add set it to now
    warnings = EarlyWarning.objects.bulk_create(
        EarlyWarning(country=country, kind=EarlyWarning.Kind.ALERT, severity=IMMINENT, state=EarlyWarning.State.RAISED,
                     alert=a, params={"title": a.title, "location": a.location, "severity": a.severity},
                     raised_at=raised_at, act_by=raised_at + ledger.ack_deadline(IMMINENT))
        for a in alerts
    )
    WarningStep.objects.bulk_create(
        WarningStep(warning=w, kind=WarningStep.Kind.RAISED, key=f"alert:{w.alert_id}:raised", actor=officer,
                    at=raised_at, detail_code="alert", params=w.params)
        for w in warnings
    )
    return warnings


def _chases() -> Counter:
    """How many times each (warning, rung) was recorded."""
    return Counter(WarningStep.objects.filter(kind=WarningStep.Kind.CHASED).values_list("warning_id", "params__n"))


def _told() -> Counter:
    """How many times each (warning page, rung, recipient) was notified."""
    return Counter(
        (n.link, n.params["step"], n.recipient.username)
        for n in Notification.objects.filter(code=notices.WARNING_UNACKNOWLEDGED).select_related("recipient")
    )


def _assert_each_rung_once(warnings: list[EarlyWarning]) -> None:
    assert _chases() == Counter({(w.pk, n): 1 for w in warnings for n in (1, 2)})
    keys = list(WarningStep.objects.filter(kind=WarningStep.Kind.CHASED).values_list("key", flat=True))
    assert sorted(keys) == sorted(f"warning:{w.pk}:chase:{n}" for w in warnings for n in (1, 2))
    assert set(EarlyWarning.objects.filter(pk__in=[w.pk for w in warnings]).values_list("ladder_step", flat=True)) == {2}
    assert _told() == Counter(
        {(ledger.link_of(w), n, who): 1 for w in warnings for n, people in TOLD.items() for who in people}
    )


def test_it_climbs_each_rung_once_when_two_sweeps_run_at_once(country_a, officer_a, chair_a, eosg, sag):
    for i in range(60):
        services.alert_raise(country=country_a, actor=officer_a, title=f"Militia attack {i}", location="North",
                             severity=IMMINENT, description="d")
    warnings = list(EarlyWarning.objects.all())
    assert len(warnings) == 60
    # Past twice the time to acknowledge: each warning owes both rungs (the chair and EOSG, then the SAG) at once.
    now = timezone.now() + 2 * ledger.ack_deadline(IMMINENT) + dt.timedelta(minutes=5)

    results = _at_once(ledger_sweeps.sweep_unacknowledged, now)

    assert [r.failed for r in results] == [0, 0]
    assert sum(r.done for r in results) == 2 * 60  # the work was shared, not repeated
    _assert_each_rung_once(warnings)


@pytest.fixture
def broker():
    """Tasks go to the broker instead of running in the test; whatever is left queued at the end (the
    deliveries of rows this test database forgets at teardown) is dropped with the rows."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.control.purge()


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (CI)")
def test_it_loses_no_rung_and_repeats_none_when_a_worker_is_killed_mid_sweep(broker, country_a, officer_a, chair_a,
                                                                              eosg, sag):
    n = 200
    # The worker sweeps by its own clock: raised long enough ago to be past twice the time to acknowledge.
    raised_at = timezone.now() - 2 * ledger.ack_deadline(IMMINENT) - dt.timedelta(hours=1)
    warnings = _bulk_imminent_warnings(country_a, officer_a, n, raised_at)
    queue = f"test-kill-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "CELERY_TASK_ALWAYS_EAGER": "false"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hruf", "worker", "-Q", queue, "-c", "1", "--loglevel", "WARNING"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        tasks.sweep_unacknowledged.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while WarningStep.objects.filter(kind=WarningStep.Kind.CHASED).count() < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool child, mid-sweep
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    worker_log = worker.stderr.read().decode(errors="replace")[-3000:]
    worker.stderr.close()

    chased = _chases()
    claimed = {pk for pk, _n in chased}
    assert 0 < len(claimed) < n, f"the kill did not land in the middle of the sweep\n{worker_log}"
    # Every committed claim is whole: both rungs, the ladder step, and their notifications, or none of it.
    assert chased == Counter({(pk, rung): 1 for pk in claimed for rung in (1, 2)})
    assert set(EarlyWarning.objects.filter(ladder_step=2).values_list("pk", flat=True)) == claimed
    assert set(EarlyWarning.objects.exclude(pk__in=claimed).values_list("ladder_step", flat=True)) == {0}
    assert _told() == Counter(
        {(ledger.link_of(w), r, who): 1 for w in warnings if w.pk in claimed for r, people in TOLD.items() for who in people}
    )

    # The next run (the next beat, or the redelivered task) finishes the job exactly once.
    result = ledger_sweeps.sweep_unacknowledged()
    assert (result.done, result.failed) == (2 * (n - len(claimed)), 0)
    _assert_each_rung_once(warnings)


def test_it_raises_one_silence_warning_per_country_and_period_when_two_sweeps_run_at_once(matrix, region_a, chair_a):
    q1, q2 = Period.parse("2026-Q1"), Period.parse("2026-Q2")
    officers = {}
    for i in range(20):
        country = CountryFactory(name=f"Country {i}", region=region_a)
        officers[country.pk] = grant(UserFactory(username=f"officer_{i}"), Role.OFFICER, country=country)
        file_scan(country, officers[country.pk], q1, rating=3)  # very high, then nothing for Q2
    later = dt.datetime.combine(q2.due_date + dt.timedelta(days=settings.SILENCE_GRACE_DAYS + 1), dt.time(12),
                                tzinfo=dt.UTC)

    results = _at_once(ledger_sweeps.sweep_silence, later)

    assert [r.failed for r in results] == [0, 0]
    assert sum(r.done for r in results) == len(officers)
    silent = list(EarlyWarning.objects.filter(kind=EarlyWarning.Kind.SILENCE))
    assert sorted((w.country_id, w.period) for w in silent) == sorted((pk, q2.code) for pk in officers)
    assert Counter(
        WarningStep.objects.filter(warning__kind=EarlyWarning.Kind.SILENCE).values_list("warning_id", "kind")
    ) == Counter({(w.pk, WarningStep.Kind.RAISED): 1 for w in silent})
    told = Counter(
        (n.link, n.recipient.username)
        for n in Notification.objects.filter(code=notices.WARNING_SILENCE).select_related("recipient")
    )
    assert told == Counter(
        {(ledger.link_of(w), who): 1 for w in silent for who in ("chair_a", officers[w.country_id].username)}
    )
    assert ledger_sweeps.sweep_silence(now=later).as_dict() == {"done": 0, "failed": 0}


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
