"""The dead man's switch: beat stopped for three hours, one email when late, one on recovery."""

import datetime as dt

import pytest
import time_machine
from celery.schedules import crontab
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from hruf import celery_app, switch
from hruf.models import SweepAlarm

from .conftest import all_sweeps_finish

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _check_every_five_minutes(start, end, *, beat_runs=False):
    outcomes, t = [], start
    while t <= end:
        with time_machine.travel(t, tick=False):
            if beat_runs:
                all_sweeps_finish(t)
            outcomes.append(switch.sweeps_check())
        t += dt.timedelta(minutes=5)
    return outcomes


def test_it_emails_once_when_beat_stops_and_once_when_it_is_back(settings, mailoutbox, administrator):
    settings.ADMINS = [("ops@example.org", "ops@example.org")]
    all_sweeps_finish(T0)
    # Beat stops at T0: the checks go on (cron, the web process) for three hours.
    outcomes = _check_every_five_minutes(T0, T0 + dt.timedelta(hours=3))
    assert outcomes.count("raised") == 1 and set(outcomes) == {"ok", "raised", "late"}
    assert len(mailoutbox) == 1
    late_mail = mailoutbox[0]
    assert sorted(late_mail.to) == ["operator@example.org", "ops@example.org"]
    assert "late" in late_mail.subject and "notifications-redeliver" in late_mail.body
    assert "/operations/" in late_mail.body
    # Beat is back: every sweep runs; the next checks send one email, then nothing.
    back = T0 + dt.timedelta(hours=3, minutes=2)
    assert _check_every_five_minutes(back, back + dt.timedelta(minutes=30), beat_runs=True).count("lowered") == 1
    assert len(mailoutbox) == 2 and "on time again" in mailoutbox[1].subject
    assert SweepAlarm.objects.get().raised_at is None


def test_a_sweep_that_raises_on_every_run_goes_late_with_its_error(schedule, mailoutbox, administrator):
    schedule["test-raises"] = {"task": "tests.operations.sweep_that_raises", "schedule": crontab(minute="*/5")}
    all_sweeps_finish(T0)
    for minutes in range(0, 25, 5):
        with time_machine.travel(T0 + dt.timedelta(minutes=minutes), tick=False):
            celery_app.tasks["tests.operations.sweep_that_raises"].apply()
            all_sweeps_finish(T0 + dt.timedelta(minutes=minutes), but=["test-raises"])
            switch.sweeps_check()
    assert len(mailoutbox) == 1
    assert "test-raises" in mailoutbox[0].body and "RuntimeError: the database went away" in mailoutbox[0].body
    assert SweepAlarm.objects.get().late == ["test-raises"]


def test_a_second_checker_that_lost_the_race_sends_nothing(mailoutbox, administrator):
    all_sweeps_finish(T0)
    with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
        SweepAlarm.objects.create(pk=switch.ALARM_PK)
        # Another process raised the alarm between this one's read and its write.
        SweepAlarm.objects.filter(pk=switch.ALARM_PK).update(raised_at=T0)
        assert switch.sweeps_check() == "late"
    assert mailoutbox == []


def test_an_alarm_whose_email_failed_is_retried_by_the_next_check(settings, mailoutbox, administrator):
    all_sweeps_finish(T0)
    settings.EMAIL_BACKEND = "tests.operations.broken_mail.Backend"
    with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
        assert switch.sweeps_check() == "unsent"
        assert SweepAlarm.objects.get().raised_at is None
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert switch.sweeps_check() == "raised"
    assert len(mailoutbox) == 1


def test_the_command_exits_with_an_error_while_a_sweep_is_late(mailoutbox, administrator, capsys):
    all_sweeps_finish(T0)
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        call_command("check_sweeps")
    assert "every sweep on time" in capsys.readouterr().out
    with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False), pytest.raises(CommandError, match="late"):
        call_command("check_sweeps")
    assert len(mailoutbox) == 1


def test_the_web_process_checks_from_health_at_most_every_few_minutes(client, settings, mailoutbox, administrator):
    settings.SWEEP_CHECK_MINUTES = 5
    switch._next_check[0] = None
    all_sweeps_finish(T0)
    with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
        client.get(reverse("health"))
        assert len(mailoutbox) == 1
    all_sweeps_finish(T0 + dt.timedelta(hours=3, minutes=1))
    with time_machine.travel(T0 + dt.timedelta(hours=3, minutes=2), tick=False):
        client.get(reverse("health"))  # within five minutes of the last check: not checked
        assert len(mailoutbox) == 1
    with time_machine.travel(T0 + dt.timedelta(hours=3, minutes=6), tick=False):
        client.get(reverse("health"))
        assert len(mailoutbox) == 2

