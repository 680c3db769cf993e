"""An enforcement event's detail is a code with parameters, read in the reader's language."""

import datetime as dt

from django.utils import translation

from followup import enforcement
from followup.models import EnforcementEvent

START, DEADLINE = dt.date(2026, 1, 1), dt.date(2026, 3, 1)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def test_a_step_recorded_during_a_french_request_reads_in_each_readers_language(make_plan, time_machine):
    time_machine.move_to(_at(START), tick=False)
    make_plan(DEADLINE, START)
    with translation.override("fr"):
        enforcement.sweep_overdue(now=_at(DEADLINE + dt.timedelta(days=1)))
    event = EnforcementEvent.objects.get(kind="overdue_owner")
    assert (event.detail_code, event.detail_params) == ("step", {"n": 1})
    assert event.render_detail(language="en") == "step 1"
    assert event.render_detail(language="fr") == "étape 1"
    with translation.override("fr"):
        assert event.detail == "étape 1"


def test_an_unknown_detail_code_reads_empty_and_a_legacy_one_as_written():
    assert EnforcementEvent(detail_code="gone", detail_params={}).detail == ""
    assert EnforcementEvent(detail_code="legacy", detail_params={"text": "étape 2"}).detail == "étape 2"
    assert EnforcementEvent(detail_code="score_change", detail_params={"score": 72, "change": 15}).detail == "72 (+15)"
