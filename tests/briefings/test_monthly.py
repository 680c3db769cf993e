"""The monthly briefing on a schedule: one per month however often it is asked for, and builds claimed once."""

import datetime as dt

import pytest
from celery.schedules import crontab
from django.core.management import CommandError, call_command

from briefings import services, tasks
from briefings.models import BriefingPack
from hruf.celery import app

from .conftest import AUGUST, at

pytestmark = pytest.mark.usefixtures("world")


def test_it_makes_the_previous_months_briefing_once_however_often_the_beat_runs(settings):
    first = tasks.briefing_monthly_task.delay().get()
    pack = BriefingPack.objects.get()
    name, finished = pack.file.name, pack.finished_at
    assert first == pack.pk and pack.key == "monthly:2026-08" and pack.state == "done" and pack.created_by is None
    assert (pack.period_start, pack.period_end) == (dt.date(2026, 8, 1), dt.date(2026, 8, 31))
    assert tasks.briefing_monthly_task.delay().get() == pack.pk  # a second beat, or the task redelivered
    assert services.monthly_briefing_make(actor=None, today=dt.date(2026, 9, 1)).pk == pack.pk
    pack.refresh_from_db()
    assert BriefingPack.objects.count() == 1 and (pack.file.name, pack.finished_at) == (name, finished)
    assert [p.name for p in (settings.MEDIA_ROOT / "briefings" / "monthly").iterdir()] == [name.rsplit("/", 1)[1]]


def test_the_beat_schedule_asks_on_the_first_of_each_month_at_five():
    entry = app.conf.beat_schedule["briefings-monthly"]
    assert entry["task"] == tasks.briefing_monthly_task.name
    assert entry["schedule"] == crontab(minute="0", hour="5", day_of_month="1")


def test_the_command_makes_the_month_it_is_given_and_refuses_others(capsys):
    call_command("briefing_monthly", "--month", "2026-07")
    assert BriefingPack.objects.get().key == "monthly:2026-07"
    assert "2026-07" in capsys.readouterr().out
    for bad in ("2026-Q3", "July", "2026-10"):  # a quarter, not a period, a month not yet begun
        with pytest.raises(CommandError):
            call_command("briefing_monthly", "--month", bad)
    call_command("briefing_monthly")  # the previous month by default
    assert sorted(BriefingPack.objects.values_list("key", flat=True)) == ["monthly:2026-07", "monthly:2026-08"]


def test_a_failed_briefing_is_made_by_the_next_run():
    BriefingPack.objects.create(
        kind="monthly", key="monthly:2026-08", period_start=AUGUST.start, period_end=AUGUST.end, state="failed",
        error="OSError: disk full",
    )
    pack = services.monthly_briefing_make(actor=None, month=AUGUST)
    assert pack.state == "done" and pack.error == "" and pack.file and BriefingPack.objects.count() == 1


def test_a_build_is_claimed_once_and_a_dead_workers_build_is_taken_over(django_capture_on_commit_callbacks, eosg):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pack = services.pack_request(kind="monthly", actor=eosg, month=AUGUST)
    assert len(callbacks) == 1 and pack.state == "queued"
    BriefingPack.objects.filter(pk=pack.pk).update(state="running", started_at=at(2026, 9, 1, 4, 58))
    assert services.pack_build(pack_id=pack.pk) is False  # another worker is on it
    # That worker died: past the task time limit its claim lapses.
    assert services.pack_build(pack_id=pack.pk, now=at(2026, 9, 1, 5, 4)) is True
    assert services.pack_build(pack_id=pack.pk) is False
    pack.refresh_from_db()
    assert pack.state == "done" and pack.started_at == at(2026, 9, 1, 5, 4)


def test_asking_again_for_a_month_remakes_its_briefing_in_the_same_row(django_capture_on_commit_callbacks, eosg, sag):
    first = services.monthly_briefing_make(actor=None, month=AUGUST)
    old_name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        again = services.pack_request(kind="monthly", actor=sag, month=AUGUST)
    again.refresh_from_db()
    assert again.pk == first.pk and again.state == "done" and again.created_by == sag
    assert again.file.name != old_name and not again.file.storage.exists(old_name)


def test_a_month_not_yet_begun_is_refused(eosg):
    with pytest.raises(services.BriefingError):
        services.pack_request(kind="monthly", actor=eosg, month=AUGUST.next().next())
    assert not BriefingPack.objects.exists()
