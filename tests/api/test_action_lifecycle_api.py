"""The life cycle through the API: refused moves answer 400 naming the status, extend and reopen by
the plan's chair or EOSG (owner 403, outsiders 404), a stale lock 409."""

import datetime as dt

import pytest

from followup import services
from followup.models import Action, DeadlineChange
from hruf.models import Entity
from scans.models import Alert

TODAY = dt.date(2026, 11, 27)
ACTIONS = "/api/v1/actions/"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def action(country_a, officer_a, eosg, owner):
    alert = Alert.objects.create(country=country_a, title="Attack", location="North", severity="severe",
                                 description="d", raised_by=officer_a)
    ohchr = Entity.objects.get_or_create(code="OHCHR", defaults={"name": "OHCHR"})[0]
    plan = services.plan_create(country=country_a, actor=eosg, title="Plan A", source_alert=alert, today=TODAY, actions=[
        services.ActionDraft(title="Deploy an adviser", lead_entity=ohchr, owner=owner, deadline=TODAY + dt.timedelta(days=5))])
    return plan.actions.get()


def _extension(**changes) -> dict:
    return {"lock_version": 0, "new_deadline": "2027-01-15", "reason": "The visa is late"} | changes


@pytest.mark.parametrize(("who", "code"), [("owner", 403), ("officer_a", 403), ("sag", 403), ("outsider", 404)])
def test_only_the_chair_or_eosg_extend_through_the_api(request, api, assert_error, action, who, code):
    assert_error(api(request.getfixturevalue(who)).post(f"{ACTIONS}{action.pk}/extend/", _extension(), format="json"), code)
    assert not DeadlineChange.objects.exists()


@pytest.mark.parametrize("who", ["chair_a", "eosg"])
def test_the_chair_or_eosg_extend_through_the_api(request, api, action, who):
    response = api(request.getfixturevalue(who)).post(f"{ACTIONS}{action.pk}/extend/", _extension(), format="json")
    assert response.status_code == 200
    assert (response.json()["deadline"], response.json()["lock_version"], response.json()["overdue_step"]) == (
        "2027-01-15", 1, 0)
    assert DeadlineChange.objects.get().old_deadline == TODAY + dt.timedelta(days=5)


@pytest.mark.parametrize(("body", "field"), [
    (_extension(new_deadline="2026-11-20"), "new_deadline"),
    (_extension(new_deadline="2026-12-01"), "new_deadline"),
    (_extension(reason=" "), "reason"),
])
def test_an_extension_into_the_past_before_the_deadline_or_without_reason_is_400(api, assert_error, chair_a, action, body, field):
    assert_error(api(chair_a).post(f"{ACTIONS}{action.pk}/extend/", body, format="json"), 400, fields=(field,))


def test_a_stale_extension_is_409(api, assert_error, owner, chair_a, action):
    services.action_update(action=action, actor=owner, lock_version=0, status="in_progress", text="Started")
    assert_error(api(chair_a).post(f"{ACTIONS}{action.pk}/extend/", _extension(), format="json"), 409)
    assert Action.objects.get(pk=action.pk).deadline == TODAY + dt.timedelta(days=5)


def test_a_refused_move_names_the_status_and_only_the_chair_or_eosg_reopen(api, assert_error, owner, eosg, action):
    progress = f"{ACTIONS}{action.pk}/progress/"
    done = api(owner).post(progress, {"lock_version": 0, "status": "done", "evidence": "In post"}, format="json")
    assert done.status_code == 200
    refused = assert_error(api(owner).post(progress, {"lock_version": 1, "status": "in_progress"}, format="json"), 400,
                           fields=("status",))
    assert "Done" in str(refused)
    assert_error(api(owner).post(f"{ACTIONS}{action.pk}/reopen/", {"lock_version": 1, "reason": "x"}, format="json"), 403)
    reopened = api(eosg).post(f"{ACTIONS}{action.pk}/reopen/", {"lock_version": 1, "reason": "Left early"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "in_progress"
