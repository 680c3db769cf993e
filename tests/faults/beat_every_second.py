"""The project's Celery app with the two ladder sweeps due every second (`celery -A
tests.faults.beat_every_second beat`), for the fault test of two beats at once."""

from hruf.celery import app

app.conf.beat_schedule = {
    f"fault {sweep}": {"task": f"followup.tasks.{sweep}", "schedule": 1.0} for sweep in ("sweep_overdue", "sweep_reminders")
}
