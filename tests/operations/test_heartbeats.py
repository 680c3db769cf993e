"""Every beat task reports in, through the beat schedule alone; the late threshold is twice its interval."""

import datetime as dt

import pytest
import time_machine
from celery.schedules import crontab

from hruf import celery_app
from hruf.heartbeats import late_after, sweep_states
from hruf.models import Notification, SweepHeartbeat

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_it_takes_each_late_threshold_from_the_beat_schedule():
    assert late_after("followup-overdue") == dt.timedelta(hours=2)
    assert late_after("warnings-unacknowledged") == dt.timedelta(minutes=10)
    assert late_after("followup-digests") == dt.timedelta(days=14)
    assert late_after("briefings-monthly") == dt.timedelta(days=62)
    # Once a minute would be late after two: the floor keeps a busy queue from raising the alarm.
    assert late_after("notifications-redeliver") == dt.timedelta(minutes=10)


def test_it_records_a_new_sweep_added_to_the_schedule_with_its_figures(schedule, officer_a):
    schedule["test-sweep"] = {"task": "tests.operations.sweep_for_test", "schedule": crontab(minute="30")}
    with time_machine.travel(T0, tick=False):
        celery_app.tasks["tests.operations.sweep_for_test"].delay(officer_a.pk, fail_row=True)
    beat = SweepHeartbeat.objects.get(name="test-sweep")
    assert (beat.last_started_at, beat.last_finished_at) == (T0, T0)
    assert (beat.last_claimed, beat.last_failed_rows, beat.runs, beat.errors) == (2, 1, 1, 0)
    # Each row wrote a notification; the failed row's was rolled back with it and is not counted.
    assert beat.last_notified == 2 and Notification.objects.count() == 2
    assert beat.last_duration_ms is not None and beat.is_failing()
    assert late_after("test-sweep") == dt.timedelta(hours=2)


def test_it_records_a_sweep_that_raises_with_its_error_and_keeps_its_last_finish(schedule):
    schedule["test-raises"] = {"task": "tests.operations.sweep_that_raises", "schedule": crontab(minute="*/5")}
    with time_machine.travel(T0, tick=False):
        celery_app.tasks["tests.operations.sweep_that_raises"].apply()
    beat = SweepHeartbeat.objects.get(name="test-raises")
    assert beat.last_finished_at is None and beat.errors == 1 and beat.last_error_at == T0
    assert beat.last_error == "RuntimeError: the database went away"
    with time_machine.travel(T0 + dt.timedelta(minutes=11), tick=False):
        state = {s.name: s for s in sweep_states()}["test-raises"]
    assert (state.late, state.failing, state.status) == (True, True, "late")


def test_a_task_outside_the_schedule_records_nothing():
    from hruf.tasks import deliver_notification

    deliver_notification.apply(args=[123456])
    assert not SweepHeartbeat.objects.exists()


def test_a_real_beat_task_reports_in():
    from followup.tasks import sweep_overdue

    with time_machine.travel(T0, tick=False):
        sweep_overdue.delay()
    beat = SweepHeartbeat.objects.get(name="followup-overdue")
    assert beat.last_finished_at == T0 and beat.runs == 1 and not beat.is_failing()


def test_a_sweep_never_run_is_watched_from_its_first_check():
    with time_machine.travel(T0, tick=False):
        assert not any(s.late for s in sweep_states())
    with time_machine.travel(T0 + dt.timedelta(hours=2, minutes=1), tick=False):
        late = {s.name for s in sweep_states() if s.late}
    assert "followup-overdue" in late and "followup-digests" not in late
