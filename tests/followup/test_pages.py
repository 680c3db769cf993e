"""Follow-up pages: drafting a plan in the browser's shoes, owners' updates, scope and query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import Action, ActionTemplate, Plan
from followup.reference import load_templates

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def templates(ohchr, undp):
    from django.apps import apps

    load_templates(apps)
    return ActionTemplate.objects.all()


def test_eosg_drafts_a_plan_from_an_alert_using_the_templates(login, alert_a, eosg, owner, templates, ohchr):
    client = login(eosg)
    url = reverse("followup:plan_create") + f"?alert={alert_a.pk}"
    page = client.get(url)
    assert "Deploy a light team" in page.content.decode()
    adviser = templates.get(title="Deploy or extend a human rights adviser")
    prefix = f"t{adviser.pk}"
    data = {
        "alert": alert_a.pk, "title": "Protect civilians in the north",
        f"{prefix}-use": "on", f"{prefix}-template": adviser.pk, f"{prefix}-title": adviser.title,
        f"{prefix}-lead_entity": ohchr.pk, f"{prefix}-owner": owner.pk, f"{prefix}-deadline": "2026-11-01",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "The deadline is in the past." in refused.content.decode()
    assert "Protect civilians in the north" in refused.content.decode()
    data[f"{prefix}-deadline"] = "2027-01-15"
    response = client.post(url, data)
    plan = Plan.objects.get()
    assert response.url == reverse("followup:plan_detail", args=[plan.pk])
    assert list(plan.actions.values_list("title", "owner__username")) == [(adviser.title, "owner")]


def test_the_owner_updates_and_others_cannot(login, make_plan, owner, undp_owner, eosg, chair_a):
    action = make_plan(TODAY + dt.timedelta(days=10), TODAY)
    url = reverse("followup:action_update", args=[action.pk])
    assert login(owner).post(url, {"lock_version": 0, "status": "in_progress", "text": "Recruiting"}).status_code == 302
    for other in (eosg, chair_a):
        assert login(other).post(url, {"lock_version": 1, "status": "done"}).status_code == 403
    assert login(undp_owner).post(url, {"lock_version": 1, "status": "done"}).status_code == 404
    assert Action.objects.get(pk=action.pk).status == "in_progress"
    assert "Recruiting" in login(eosg).get(reverse("followup:action_detail", args=[action.pk])).content.decode()


def test_an_owner_sees_their_actions_not_other_entities_restricted_ones(
    login, make_plan, owner, undp_owner, undp, sag, officer_a, officer_b
):
    open_action = make_plan(TODAY + dt.timedelta(days=10), TODAY, title="Open to all")
    hidden = make_plan(TODAY + dt.timedelta(days=10), TODAY, title="Sensitive", lead_entity=undp, owner=undp_owner,
                       restricted=True)
    visible_to = {
        "owner": (200, 404), "undp_owner": (404, 200), "sag": (200, 404), "officer_a": (200, 200), "officer_b": (404, 404),
    }
    people = {"owner": owner, "undp_owner": undp_owner, "sag": sag, "officer_a": officer_a, "officer_b": officer_b}
    for name, expected in visible_to.items():
        client = login(people[name])
        got = tuple(client.get(reverse("followup:action_detail", args=[a.pk])).status_code for a in (open_action, hidden))
        assert got == expected, name


def test_my_actions_lists_overdue_and_due_soon_at_a_fixed_cost(login, make_plan, owner):
    make_plan(TODAY + dt.timedelta(days=3), TODAY)
    client = login(owner)
    with CaptureQueriesContext(connection) as few:
        html = client.get(reverse("followup:my_actions")).content.decode()
    assert "Deploy a human rights adviser" in html
    for i in range(20):
        make_plan(TODAY + dt.timedelta(days=i), TODAY)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("followup:my_actions"))
    assert len(few.captured_queries) == len(many.captured_queries)


def test_plan_and_action_pages_do_not_grow_with_actions(login, make_plan, eosg, owner):
    first = make_plan(TODAY + dt.timedelta(days=3), TODAY)
    client = login(eosg)
    urls = [reverse("followup:plan_list"), reverse("followup:plan_detail", args=[first.plan_id]),
            reverse("followup:action_detail", args=[first.pk])]

    def measure():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    few = measure()
    for i in range(15):
        make_plan(TODAY + dt.timedelta(days=i), TODAY)
    from followup import services

    for i in range(5):
        services.benchmark_add(actor=owner, action=first, description=f"b{i}", due_date=TODAY + dt.timedelta(days=2), today=TODAY)
    assert measure() == few


def test_the_action_page_refuses_bad_benchmarks_and_reassignments_keeping_the_input(login, make_plan, owner, eosg, chair_b):
    action = make_plan(TODAY + dt.timedelta(days=10), TODAY)
    client = login(owner)
    refused = client.post(reverse("followup:benchmark_create", args=[action.pk]),
                          {"description": "Adviser recruited", "due_date": "2026-12-31", "evidence_required": "on"})
    assert refused.status_code == 400
    assert "falls due by its action" in refused.content.decode() and "Adviser recruited" in refused.content.decode()
    assert client.post(reverse("followup:benchmark_create", args=[action.pk]),
                       {"description": "Adviser recruited", "due_date": "2026-12-01"}).status_code == 302
    eosg_client = login(eosg)
    refused = eosg_client.post(reverse("followup:action_reassign", args=[action.pk]),
                               {"owner": chair_b.pk, "deadline": "2026-12-20", "lock_version": 0})
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()  # only focal points are offered
    assert eosg_client.post(reverse("followup:action_reassign", args=[action.pk]),
                            {"owner": owner.pk, "deadline": "2026-12-20", "lock_version": 0}).status_code == 302
    assert Action.objects.get(pk=action.pk).deadline == dt.date(2026, 12, 20)


def test_a_reassignment_from_a_stale_page_is_refused_with_the_conflict_message(login, make_plan, owner, eosg):
    action = make_plan(TODAY + dt.timedelta(days=10), TODAY)
    eosg_client = login(eosg)
    page = eosg_client.get(reverse("followup:action_detail", args=[action.pk]))
    read = page.context["reassign_form"].initial["lock_version"]
    assert read == action.lock_version
    # The owner reports a blocker before EOSG sends the form they opened earlier.
    assert login(owner).post(reverse("followup:action_update", args=[action.pk]),
                             {"lock_version": read, "status": "blocked", "text": "No visa"}).status_code == 302
    eosg_client = login(eosg)
    refused = eosg_client.post(reverse("followup:action_reassign", args=[action.pk]),
                               {"owner": owner.pk, "deadline": "2026-12-20", "lock_version": read})
    assert refused.status_code == 400
    assert "Someone else updated this action since you opened it" in refused.content.decode()
    stored = Action.objects.get(pk=action.pk)
    assert (stored.deadline, stored.lock_version) == (TODAY + dt.timedelta(days=10), read + 1)
