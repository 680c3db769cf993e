"""A sweep survives a bad row: the healthy rows are handled once, the bad one is logged with its
id, counted and left as it was, and a run after the data is fixed handles it once."""

import datetime as dt
import logging

from django.db import connection

from followup import enforcement
from followup.models import Action, EnforcementEvent
from hruf.models import Notification
from hruf.sweeps import SweepResult, sweep_rows

START = dt.date(2026, 1, 1)
DEADLINE = dt.date(2026, 3, 1)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _failures(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "hruf.sweeps" and r.exc_info]


def test_an_action_with_broken_data_does_not_stop_the_overdue_sweep(make_plan, owner, time_machine, caplog):
    time_machine.move_to(_at(START), tick=False)
    first, bad, last = (make_plan(DEADLINE, START, title=f"Action {i}") for i in range(3))
    # Its owner's row is gone from under it (the constraint is checked only at commit).
    _sql("UPDATE followup_action SET owner_id = %s WHERE id = %s", [999_999, bad.pk])
    Notification.objects.all().delete()

    day = _at(DEADLINE + dt.timedelta(days=1))
    with caplog.at_level(logging.ERROR, logger="hruf.sweeps"):
        assert enforcement.sweep_overdue(now=day) == SweepResult(done=2, failed=1)
    assert _failures(caplog) == [f"overdue actions: row action {bad.pk} failed and is left for the next run"]
    assert set(EnforcementEvent.objects.values_list("action_id", flat=True)) == {first.pk, last.pk}
    assert Notification.objects.count() == 2
    assert Action.objects.get(pk=bad.pk).overdue_step == 0  # never marked done

    # Still broken: tried again, counted again, nothing sent again for the healthy rows.
    assert enforcement.sweep_overdue(now=day) == SweepResult(done=0, failed=1)

    _sql("UPDATE followup_action SET owner_id = %s WHERE id = %s", [owner.pk, bad.pk])
    assert enforcement.sweep_overdue(now=day) == SweepResult(done=1, failed=0)
    assert enforcement.sweep_overdue(now=day) == SweepResult(done=0, failed=0)
    per_action = {a: EnforcementEvent.objects.filter(action_id=a).count() for a in (first.pk, bad.pk, last.pk)}
    assert per_action == {first.pk: 1, bad.pk: 1, last.pk: 1}
    assert Notification.objects.count() == 3 and Action.objects.get(pk=bad.pk).overdue_step == 1


def test_the_tasks_report_what_was_done_and_what_failed(make_plan, time_machine):
    from followup import tasks

    time_machine.move_to(_at(DEADLINE + dt.timedelta(days=1)), tick=False)
    make_plan(DEADLINE, START)
    assert tasks.sweep_overdue() == {"done": 1, "failed": 0}


def test_sweep_rows_goes_on_after_a_row_that_raises(caplog):
    seen = []

    def step(n: int) -> int:
        if n == 2:
            raise ZeroDivisionError("bad row")
        seen.append(n)
        return 1

    with caplog.at_level(logging.ERROR, logger="hruf.sweeps"):
        assert sweep_rows("numbers", [1, 2, 3], step) == SweepResult(done=2, failed=1)
    assert seen == [1, 3] and _failures(caplog) == ["numbers: row 2 failed and is left for the next run"]
