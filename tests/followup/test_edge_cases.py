"""Cases found in review: each one a step that must still reach someone, once, on the right date."""

import datetime as dt

import pytest
from django.urls import reverse

from followup import enforcement, services
from followup.models import Action, EnforcementEvent
from hruf.models import Notification, RoleAssignment

TODAY = dt.date(2026, 6, 1)


def _at(day):
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def test_a_deadline_moved_between_read_and_claim_is_not_stepped_on(make_plan, eosg, owner, time_machine):
    time_machine.move_to(_at(dt.date(2026, 1, 1)), tick=False)
    action = make_plan(dt.date(2026, 2, 1), dt.date(2026, 1, 1))
    services.action_reassign(action=action, actor=eosg, lock_version=action.lock_version, owner=owner, deadline=dt.date(2026, 8, 1),
                             today=dt.date(2026, 1, 1))
    # A sweep that read the old deadline before the move claims nothing...
    assert enforcement._advance(Action, action.pk, 0, 3, dt.date(2026, 2, 1)) == 0
    assert not EnforcementEvent.objects.exists()
    # ...and the new deadline's ladder runs in full when its time comes.
    assert enforcement.sweep_overdue(now=_at(dt.date(2026, 9, 1))).done == 3


def test_a_step_for_an_owner_who_lost_the_role_goes_to_the_chair(make_plan, owner, chair_a, time_machine):
    time_machine.move_to(_at(dt.date(2026, 1, 1)), tick=False)
    make_plan(dt.date(2026, 2, 1), dt.date(2026, 1, 1))
    RoleAssignment.objects.filter(user=owner).delete()
    Notification.objects.all().delete()
    enforcement.sweep_overdue(now=_at(dt.date(2026, 2, 2)))
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["chair_a"]


def test_leaving_the_digest_sends_what_it_held(login, make_plan, owner, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(_at(TODAY), tick=False)
    owner.email_mode = "digest"
    owner.save()
    make_plan(TODAY + dt.timedelta(days=9), TODAY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        login(owner).post("/inbox/preferences/", {"email_mode": "immediate"})
    assert Notification.objects.get(recipient=owner).email_state == "pending" and len(callbacks) == 1


def test_a_focal_point_sees_the_plan_but_not_the_alert_behind_it(login, make_plan, owner, alert_a, time_machine):
    time_machine.move_to(_at(TODAY), tick=False)
    make_plan(TODAY + dt.timedelta(days=9), TODAY)
    client = login(owner)
    assert client.get(reverse("scans:alert_detail", args=[alert_a.pk])).status_code == 404
    assert alert_a.title not in client.get(reverse("followup:plan_list")).content.decode()


def test_an_id_in_another_script_is_a_404(login, eosg):
    client = login(eosg)
    assert client.get(reverse("followup:plan_create") + "?item=\u00b2").status_code == 404
    assert client.get(reverse("followup:plan_create") + "?alert=\u00b2").status_code == 404


def test_an_overdue_action_changes_hands_and_the_new_owner_is_told(make_plan, eosg, undp_owner, ohchr, time_machine):
    time_machine.move_to(_at(dt.date(2026, 1, 1)), tick=False)
    action = make_plan(dt.date(2026, 2, 1), dt.date(2026, 1, 1))
    RoleAssignment.objects.create(user=undp_owner, role="owner", entity=ohchr)
    services.action_reassign(action=action, actor=eosg, lock_version=action.lock_version, owner=undp_owner, deadline=action.deadline,
                             today=dt.date(2026, 3, 1))
    assert Notification.objects.filter(recipient=undp_owner, code="followup.action_assigned").exists()


def test_no_benchmark_on_a_closed_action(make_plan, owner, time_machine):
    time_machine.move_to(_at(TODAY), tick=False)
    action = make_plan(TODAY + dt.timedelta(days=9), TODAY)
    services.action_update(action=action, actor=owner, lock_version=0, status="done", evidence="Adviser in post")
    with pytest.raises(services.FollowupError, match="closed"):
        services.benchmark_add(actor=owner, action=action, description="late", due_date=TODAY + dt.timedelta(days=2), today=TODAY)


def test_my_actions_puts_an_action_with_a_benchmark_due_soon_in_due_soon(login, make_plan, owner, time_machine):
    time_machine.move_to(_at(TODAY), tick=False)
    action = make_plan(TODAY + dt.timedelta(days=90), TODAY)
    services.benchmark_add(actor=owner, action=action, description="b", due_date=TODAY + dt.timedelta(days=3), today=TODAY)
    page = login(owner).get(reverse("followup:my_actions"))
    assert [a.pk for a in page.context["due_soon"]] == [action.pk] and page.context["later"] == []
