import datetime as dt

import pytest
from celery import shared_task
from django.db import transaction

from hruf import celery_app
from hruf.codes import LEGACY
from hruf.heartbeats import heartbeat_finished
from hruf.models import Role
from hruf.notifications import notify
from hruf.sweeps import SweepResult, sweep_rows
from tests.factories import UserFactory, grant


@shared_task(name="tests.operations.sweep_for_test")
def sweep_for_test(recipient_id: int, fail_row: bool = False) -> dict[str, int]:
    """A sweep added to the schedule by a test, with nothing of its own for heartbeats."""
    from hruf.models import User

    @transaction.atomic  # as every sweep's step: a failed row is rolled back whole
    def step(row: int) -> int:
        notify(recipients=[User.objects.get(pk=recipient_id)], code=LEGACY, params={"subject": "s", "body": str(row)})
        if fail_row and row == 2:
            raise ValueError("row 2 is bad")
        return 1

    return sweep_rows("test", [1, 2, 3], step).as_dict()


@shared_task(name="tests.operations.sweep_that_raises")
def sweep_that_raises() -> dict[str, int]:
    raise RuntimeError("the database went away")


@pytest.fixture
def schedule():
    """The beat schedule, for a test to add entries to (restored after)."""
    original = celery_app.conf.beat_schedule
    celery_app.conf.beat_schedule = dict(original)
    yield celery_app.conf.beat_schedule
    celery_app.conf.beat_schedule = original


@pytest.fixture
def administrator(db):
    user = UserFactory(username="operator", email="operator@example.org", is_staff=True)
    return grant(user, Role.ADMIN)


def all_sweeps_finish(now: dt.datetime, *, but=()) -> None:
    for name in set(celery_app.conf.beat_schedule) - set(but):
        heartbeat_finished(name=name, now=now, duration=dt.timedelta(milliseconds=40), result=SweepResult().as_dict(),
                           notified=0)
