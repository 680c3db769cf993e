"""Every beat task reports in: a heartbeat when it starts and when it ends, recorded by Celery's task
signals for each task named in the one beat schedule (hruf/celery.py). A sweep added to the schedule
reports in without a line of its own; its late threshold comes from its interval there.

Figures: a task that returns a SweepResult's dict ({"done", "failed"}) gives rows claimed and rows
failed; notifications written are counted by notify() while the task runs (hruf/sweeps.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from contextvars import Token
from dataclasses import dataclass
from functools import cache

from celery import signals
from celery.schedules import crontab, schedule
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .celery import app as celery_app
from .models import SweepHeartbeat
from .sweeps import count_notifications_start, count_notifications_stop

log = logging.getLogger(__name__)


def beat_tasks() -> dict[str, str]:
    """Task name -> its entry in the beat schedule (the name a heartbeat is kept under)."""
    return {entry["task"]: name for name, entry in celery_app.conf.beat_schedule.items()}


def _interval(every: schedule) -> dt.timedelta:
    """The longest gap between two runs of a schedule (a monthly crontab: 31 days)."""
    if not isinstance(every, crontab):
        return every.run_every
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    def after(t: dt.datetime) -> dt.datetime:
        last, delta, _now = every.remaining_delta(t, tz=dt.UTC)
        return last + delta

    runs = [after(start)]
    for _ in range(13):  # a year of a monthly schedule; a few hours of an hourly one
        runs.append(after(runs[-1]))
    return max(b - a for a, b in zip(runs, runs[1:], strict=False))


def late_after(entry: str) -> dt.timedelta:
    """How long a sweep may go without a finished run before it is late: twice its beat interval,
    never less than SWEEP_LATE_MINIMUM_MINUTES (a once-a-minute task queued behind an export)."""
    floor = dt.timedelta(minutes=settings.SWEEP_LATE_MINIMUM_MINUTES)
    return max(2 * _beat_interval(entry, str(celery_app.conf.beat_schedule[entry]["schedule"])), floor)


@cache
def _beat_interval(entry: str, spec: str) -> dt.timedelta:
    # Cached by the entry and its schedule's text: a test or a release that changes it is read anew.
    return _interval(celery_app.conf.beat_schedule[entry]["schedule"])


@dataclass
class SweepState:
    heartbeat: SweepHeartbeat
    allowed: dt.timedelta
    late: bool
    failing: bool

    @property
    def name(self) -> str:
        return self.heartbeat.name

    @property
    def status(self) -> str:
        return "late" if self.late else "failing" if self.failing else "ok"


def sweep_states(*, now: dt.datetime | None = None) -> list[SweepState]:
    """Every sweep of the beat schedule with its last run and whether it is late or failing (one
    query; a sweep never seen before gets its row now, watched from this moment)."""
    now = now or timezone.now()
    names = sorted(celery_app.conf.beat_schedule)
    rows = {h.name: h for h in SweepHeartbeat.objects.filter(name__in=names)}
    missing = [n for n in names if n not in rows]
    if missing:
        SweepHeartbeat.objects.bulk_create(
            [SweepHeartbeat(name=n, watched_since=now) for n in missing], ignore_conflicts=True
        )
        rows.update({h.name: h for h in SweepHeartbeat.objects.filter(name__in=missing)})
    states = []
    for name in names:
        beat, allowed = rows[name], late_after(name)
        states.append(SweepState(beat, allowed, beat.is_late(now, allowed), beat.is_failing()))
    return states


# --- recording, in the worker ----------------------------------------------------------------
# Started tasks by task id: (monotonic start, notification counter token). A worker process runs
# one task at a time (prefork), but eager runs nest, so keep them by id.
_running: dict[str, tuple[float, Token]] = {}


def _row(name: str, now: dt.datetime) -> None:
    SweepHeartbeat.objects.get_or_create(name=name, defaults={"watched_since": now})


def heartbeat_started(*, name: str, now: dt.datetime) -> None:
    _row(name, now)
    SweepHeartbeat.objects.filter(name=name).update(last_started_at=now)


def heartbeat_finished(
    *, name: str, now: dt.datetime, duration: dt.timedelta, result: object, notified: int
) -> None:
    figures = result if isinstance(result, dict) else {}
    _row(name, now)
    SweepHeartbeat.objects.filter(name=name).update(
        last_finished_at=now, last_duration_ms=int(duration.total_seconds() * 1000),
        last_claimed=int(figures.get("done", 0)), last_failed_rows=int(figures.get("failed", 0)),
        last_notified=notified, runs=F("runs") + 1,
    )


def heartbeat_failed(*, name: str, now: dt.datetime, duration: dt.timedelta, error: BaseException) -> None:
    _row(name, now)
    SweepHeartbeat.objects.filter(name=name).update(
        last_error=f"{type(error).__name__}: {error}"[:2000], last_error_at=now,
        last_duration_ms=int(duration.total_seconds() * 1000), errors=F("errors") + 1,
    )


@signals.task_prerun.connect
def _task_started(sender=None, task_id=None, **_kwargs):
    name = beat_tasks().get(getattr(sender, "name", ""))
    if name is None:
        return
    _running[task_id] = (time.monotonic(), count_notifications_start())
    try:
        heartbeat_started(name=name, now=timezone.now())
    except Exception:  # the heartbeat must never stop the sweep it watches
        log.exception("heartbeat: could not record the start of %s", name)


@signals.task_postrun.connect
def _task_ended(sender=None, task_id=None, retval=None, state=None, **_kwargs):
    name = beat_tasks().get(getattr(sender, "name", ""))
    if name is None or task_id not in _running:
        return
    started, token = _running.pop(task_id)
    notified = count_notifications_stop(token)
    duration = dt.timedelta(seconds=time.monotonic() - started)
    try:
        if state == "SUCCESS":
            heartbeat_finished(name=name, now=timezone.now(), duration=duration, result=retval, notified=notified)
        elif isinstance(retval, BaseException):
            heartbeat_failed(name=name, now=timezone.now(), duration=duration, error=retval)
    except Exception:
        log.exception("heartbeat: could not record the end of %s", name)
