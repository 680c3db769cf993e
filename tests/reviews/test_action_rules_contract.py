"""hruf.action_rules restates follow-up's open and overdue rules for the layers below it (scans,
reviews): the restatement must stay equal to followup.models.plans, by value and on real rows."""

import datetime as dt

import pytest

from followup.models import Action, ActionStatus, Plan
from followup.models.plans import OPEN_STATUSES
from hruf.action_rules import OPEN_ACTION_STATUSES, open_action_q, overdue_action_q
from hruf.models import Country, Entity
from scans.models import Alert

TODAY = dt.date(2026, 6, 15)


def test_it_names_the_same_open_statuses_as_followup():
    assert sorted(OPEN_ACTION_STATUSES) == sorted(str(s) for s in OPEN_STATUSES)
    assert set(OPEN_ACTION_STATUSES) < set(ActionStatus.values)


@pytest.fixture
def actions(country_a, officer_a, eosg, owner):
    alert = Alert.objects.create(country=country_a, title="t", location="l", severity="serious", description="d", raised_by=officer_a)
    plan = Plan.objects.create(country=country_a, title="Plan", source_alert=alert, created_by=eosg)
    lead = Entity.objects.get(code="OHCHR")
    return [
        Action.objects.create(plan=plan, title=f"{s} {d}", owner=owner, lead_entity=lead, status=s, deadline=TODAY + dt.timedelta(days=d))
        for s in ActionStatus.values
        for d in (-1, 0, 1)
    ]


@pytest.mark.parametrize("as_of", [TODAY - dt.timedelta(days=1), TODAY, TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=2)])
def test_its_open_and_overdue_conditions_select_the_same_actions_as_followups(actions, as_of):
    assert set(Action.objects.filter(open_action_q())) == set(Action.objects.open())
    assert set(Action.objects.filter(overdue_action_q(as_of))) == set(Action.objects.overdue(as_of))
    # and through Country's reverse relation, as the ranking counts them
    through = "plans__actions__"
    overdue_countries = Country.objects.filter(overdue_action_q(as_of, through)).distinct()
    assert list(overdue_countries) == ([actions[0].plan.country] if Action.objects.overdue(as_of).exists() else [])
