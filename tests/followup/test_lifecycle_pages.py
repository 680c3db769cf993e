"""The life cycle on the action's page: only allowed moves offered, refusals keep what was typed,
the chair's or EOSG's extension and reopening forms, and the deadline history."""

import datetime as dt

import pytest
from django.urls import reverse

from followup import services
from followup.models import Action, DeadlineChange

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def action(make_plan):
    return make_plan(TODAY + dt.timedelta(days=10), TODAY)


def _page(client, action) -> str:
    return client.get(reverse("followup:action_detail", args=[action.pk])).content.decode()


def test_the_owner_is_offered_only_the_allowed_moves(login, action, owner):
    services.action_update(action=action, actor=owner, lock_version=0, status="in_progress", text="Started")
    page = _page(login(owner), action)
    assert 'value="blocked"' in page and 'value="done"' in page and 'value="planned"' not in page


def test_a_refused_move_keeps_what_was_typed_and_says_why(login, action, owner):
    url = reverse("followup:action_update", args=[action.pk])
    response = login(owner).post(url, {"lock_version": 0, "status": "done", "text": "Adviser arrived Monday"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give the evidence that the action is done." in page and "Adviser arrived Monday" in page
    assert Action.objects.get(pk=action.pk).status == "planned"


def test_a_closed_action_shows_the_owner_no_form_and_the_chair_a_reopen_form(login, action, owner, chair_a):
    services.action_update(action=action, actor=owner, lock_version=0, status="done", evidence="In post")
    page = _page(login(owner), action)
    assert "This action is closed (Done). Only the plan" in page
    assert reverse("followup:action_update", args=[action.pk]) not in page
    chair = login(chair_a)
    assert reverse("followup:action_reopen", args=[action.pk]) in _page(chair, action)
    response = chair.post(reverse("followup:action_reopen", args=[action.pk]), {"lock_version": 1, "reason": "Left early"})
    assert response.status_code == 302 and Action.objects.get(pk=action.pk).status == "in_progress"


def test_the_chair_extends_a_deadline_on_the_page_and_the_old_date_stays_in_the_history(login, action, chair_a):
    client = login(chair_a)
    page = _page(client, action)
    assert 'for="id_new_deadline"' in page and 'name="csrfmiddlewaretoken"' in page
    url = reverse("followup:action_extend", args=[action.pk])
    refused = client.post(url, {"lock_version": 0, "new_deadline": "2026-12-01", "reason": "The visa is late"})
    assert refused.status_code == 400
    refused_page = refused.content.decode()
    assert "The new deadline must be after the current one (2026-12-07)." in refused_page
    assert "The visa is late" in refused_page and 'value="2026-12-01"' in refused_page
    done = client.post(url, {"lock_version": 0, "new_deadline": "2027-01-15", "reason": "The visa is late"})
    assert done.status_code == 302
    assert Action.objects.get(pk=action.pk).deadline == dt.date(2027, 1, 15)
    page = _page(client, action)
    assert "Deadline history" in page and "7 December 2026" in page and "15 January 2027" in page
    assert "The visa is late" in page


@pytest.mark.parametrize(("who", "code"), [("owner", 403), ("officer_a", 403), ("undp_owner", 404), ("outsider", 404)])
def test_others_cannot_extend_on_the_page(request, login, action, who, code):
    url = reverse("followup:action_extend", args=[action.pk])
    response = login(request.getfixturevalue(who)).post(
        url, {"lock_version": 0, "new_deadline": "2027-01-15", "reason": "The visa is late"})
    assert response.status_code == code
    assert not DeadlineChange.objects.exists()
