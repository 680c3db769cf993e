import datetime as dt

import pytest

from followup import services
from followup.models import ActionStatus, ActionUpdate
from hruf.models import Notification, Role
from reviews.models import AgendaItem, Meeting

from ..factories import UserFactory, grant

TODAY = dt.date(2026, 11, 27)


def test_a_plan_drafted_from_an_alert_notifies_each_owner(make_plan, owner):
    action = make_plan(TODAY + dt.timedelta(days=30), TODAY)
    assert action.status == ActionStatus.PLANNED
    assert Notification.objects.filter(recipient=owner, code="followup.action_assigned").count() == 1
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_it_refuses_a_past_deadline_and_an_owner_without_the_role(make_plan, chair_a, undp):
    with pytest.raises(services.InvalidInput) as exc:
        make_plan(TODAY - dt.timedelta(days=1), TODAY, owner=chair_a, lead_entity=undp)
    assert set(exc.value.errors) == {"0-deadline", "0-owner"}
    assert "not a focal point of UNDP" in exc.value.errors["0-owner"]


def test_a_plan_needs_a_decision_that_calls_for_one(country_a, eosg, region_a, chair_a, owner, ohchr):
    meeting = Meeting.objects.create(kind="rqr", region=region_a, quarter="2026-Q4", date=TODAY, chair=chair_a)
    monitor = AgendaItem.objects.create(meeting=meeting, country=country_a, decision="monitor")
    draft = services.ActionDraft(title="t", lead_entity=ohchr, owner=owner, deadline=TODAY)
    with pytest.raises(services.FollowupError, match="does not call for"):
        services.plan_create(country=country_a, actor=eosg, title="p", source_item=monitor, actions=[draft], today=TODAY)


def test_a_benchmark_falls_due_by_its_actions_deadline(make_plan):
    action = make_plan(TODAY + dt.timedelta(days=30), TODAY)
    with pytest.raises(services.InvalidInput) as exc:
        services.benchmark_add(actor=action.owner, action=action, description="b", due_date=TODAY + dt.timedelta(days=31), today=TODAY)
    assert "deadline" in exc.value.errors["due_date"]
    with pytest.raises(services.InvalidInput):
        services.benchmark_add(actor=action.owner, action=action, description="b", due_date=TODAY - dt.timedelta(days=1), today=TODAY)


def test_only_the_owner_changes_status(make_plan, eosg, owner):
    action = make_plan(TODAY + dt.timedelta(days=30), TODAY)
    with pytest.raises(services.FollowupError, match="Only the action's owner"):
        services.action_update(action=action, actor=eosg, lock_version=0, status="in_progress")
    services.action_update(action=action, actor=owner, lock_version=0, status="in_progress", text="Started")
    assert action.status == "in_progress"


def test_closing_needs_the_benchmarks_evidence_and_cancelling_a_reason(make_plan, owner):
    action = make_plan(TODAY + dt.timedelta(days=30), TODAY)
    benchmark = services.benchmark_add(actor=owner, action=action, description="Adviser in post", due_date=TODAY + dt.timedelta(days=10), today=TODAY)
    with pytest.raises(services.InvalidInput) as exc:
        services.action_update(action=action, actor=owner, lock_version=0, status="done")
    assert "Adviser in post" in exc.value.errors["status"]
    with pytest.raises(services.InvalidInput):
        services.benchmark_meet(benchmark=benchmark, actor=owner, evidence=" ")
    services.benchmark_meet(benchmark=benchmark, actor=owner, evidence="Contract signed 1 Dec")
    with pytest.raises(services.InvalidInput):
        services.action_update(action=action, actor=owner, lock_version=0, status="cancelled")
    done = services.action_update(action=action, actor=owner, lock_version=0, status="done")
    assert done.completed_at is not None


def test_a_stale_status_update_is_refused(make_plan, owner):
    action = make_plan(TODAY + dt.timedelta(days=30), TODAY)
    services.action_update(action=action, actor=owner, lock_version=0, status="in_progress")
    with pytest.raises(services.StaleEdit):
        services.action_update(action=action, actor=owner, lock_version=0, status="blocked", text="No visa")


def test_a_stale_reassignment_is_refused_and_changes_nothing(make_plan, owner, eosg, ohchr):
    action = make_plan(TODAY + dt.timedelta(days=30), TODAY)
    read = action.lock_version
    # The owner reports progress after EOSG opened the page: EOSG's reassignment would hide it.
    services.action_update(action=action, actor=owner, lock_version=read, status="blocked", text="No visa")
    other = grant(UserFactory(username="other_owner"), Role.OWNER, entity=ohchr)
    updates = ActionUpdate.objects.filter(action=action).count()
    with pytest.raises(services.StaleEdit, match="Someone else updated this action since you opened it"):
        services.action_reassign(action=action, actor=eosg, lock_version=read, owner=other,
                                 deadline=TODAY + dt.timedelta(days=60), today=TODAY)
    action.refresh_from_db()
    assert (action.owner, action.deadline, action.lock_version) == (owner, TODAY + dt.timedelta(days=30), read + 1)
    assert ActionUpdate.objects.filter(action=action).count() == updates
    assert not Notification.objects.filter(recipient=other).exists()
    moved = services.action_reassign(action=action, actor=eosg, lock_version=action.lock_version, owner=other,
                                     deadline=TODAY + dt.timedelta(days=60), today=TODAY)
    assert (moved.owner, moved.lock_version) == (other, read + 2)


def test_an_action_records_its_supporting_entities(make_plan, undp, ohchr):
    action = make_plan(TODAY + dt.timedelta(days=30), TODAY, supporting=(undp, ohchr))
    assert list(action.supporting_entities.values_list("code", flat=True)) == ["UNDP"]  # the lead is not also support
