"""Drafting a plan by the API from a template with a default duration: the deadline may be left out
(issue 12, item 4)."""

import datetime as dt

import pytest

from followup.models import Action, ActionTemplate
from scans.models import Alert

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def alert_a(country_a, officer_a):
    return Alert.objects.create(
        country=country_a, title="Attack", location="North", severity="severe", description="d", raised_by=officer_a
    )


@pytest.fixture
def adviser(owner):
    return ActionTemplate.objects.create(
        title="Deploy a human rights adviser", default_duration_days=60, default_lead=owner.roles.get().entity
    )


def test_the_api_takes_the_deadline_from_the_template(api, assert_error, adviser, alert_a, eosg, owner):
    body = {"source_alert": alert_a.pk, "title": "P", "actions": [{"template": adviser.pk, "owner": owner.pk}]}
    response = api(eosg).post("/api/v1/plans/", body, format="json")
    assert response.status_code == 201, response.content
    assert Action.objects.get().deadline == TODAY + dt.timedelta(days=60)
    adviser.default_duration_days = None
    adviser.save()
    refused = assert_error(api(eosg).post("/api/v1/plans/", body, format="json"), 400, fields=("actions",))
    assert "deadline" in refused["fields"]["actions"]["0"]
