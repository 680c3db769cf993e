"""The beat schedule comes from hruf/celery.py only: Celery's own scheduler, whose file keeps
nothing but when each task last ran."""

import shelve

from celery.beat import PersistentScheduler
from django.conf import settings

from hruf.celery import app


def _open(path) -> PersistentScheduler:
    scheduler = PersistentScheduler(app=app, schedule_filename=str(path), lazy=True)
    scheduler.setup_schedule()
    return scheduler


def test_it_uses_celerys_own_scheduler_and_no_database_schedule():
    assert app.conf.beat_scheduler == "celery.beat:PersistentScheduler"
    assert "django_celery_beat" not in settings.INSTALLED_APPS


def test_a_stale_entry_left_in_the_schedule_file_is_dropped(tmp_path):
    path = tmp_path / "celerybeat-schedule"
    first = _open(path)
    assert set(first.schedule) == set(app.conf.beat_schedule)
    first.close()
    # A release that removed a sweep left its entry in the file of the running beat.
    with shelve.open(str(path), writeback=False) as db:
        entries = db["entries"]
        entries["removed-sweep"] = entries["followup-overdue"].__class__(
            name="removed-sweep", task="followup.tasks.no_longer_there", schedule=entries["followup-overdue"].schedule,
            app=app,
        )
        db["entries"] = entries
    again = _open(path)
    assert set(again.schedule) == set(app.conf.beat_schedule)  # the code's entries, each once
    again.close()
    third = _open(path)
    assert set(third.schedule) == set(app.conf.beat_schedule)  # a second start changes nothing
    third.close()
