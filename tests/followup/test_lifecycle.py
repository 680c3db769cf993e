"""An action's life cycle that cannot be gamed: allowed moves only, evidence to close, a real reason
to cancel, reopening and deadline extension by the plan's chair or EOSG (issue 12, item 2)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from followup import enforcement, services
from followup.models import Action, ActionStatus, DeadlineChange, EnforcementEvent
from hruf.models import AuditEvent, Notification

TODAY = dt.date(2026, 11, 27)
STATUSES = ["planned", "in_progress", "blocked", "done", "cancelled"]
# Written out here, not read from the model: the test states the rule the model must follow.
OWNER_MAY = {
    ("planned", "planned"), ("planned", "in_progress"), ("planned", "blocked"), ("planned", "done"),
    ("planned", "cancelled"),
    ("in_progress", "in_progress"), ("in_progress", "blocked"), ("in_progress", "done"), ("in_progress", "cancelled"),
    ("blocked", "blocked"), ("blocked", "in_progress"), ("blocked", "done"), ("blocked", "cancelled"),
}
GOOD_REASON = "The host government withdrew its consent."


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(_at(TODAY), tick=False)


@pytest.fixture
def action(make_plan):
    return make_plan(TODAY + dt.timedelta(days=30), TODAY)


def _set_status(action: Action, status: str) -> Action:
    Action.objects.filter(pk=action.pk).update(status=status)
    action.refresh_from_db()
    return action


def _move(action: Action, actor, status: str) -> Action:
    return services.action_update(action=action, actor=actor, lock_version=action.lock_version, status=status,
                                  text="Visa refused", evidence="Adviser in post", cancel_reason=GOOD_REASON)


@pytest.mark.parametrize("before", STATUSES)
@pytest.mark.parametrize("after", STATUSES)
def test_it_allows_the_owner_only_the_moves_of_the_life_cycle(action, owner, before, after):
    _set_status(action, before)
    if (before, after) in OWNER_MAY:
        assert _move(action, owner, after).status == after
        return
    with pytest.raises(services.InvalidInput) as exc:
        _move(action, owner, after)
    message = exc.value.errors["status"]
    assert str(ActionStatus(before).label) in message
    if before in ("done", "cancelled"):
        assert "only the plan's region chair or EOSG can reopen it" in message
    else:
        assert "Allowed:" in message
    assert Action.objects.get(pk=action.pk).status == before


def test_it_refuses_blocked_without_saying_what_blocks_it(action, owner):
    with pytest.raises(services.InvalidInput) as exc:
        services.action_update(action=action, actor=owner, lock_version=0, status="blocked", text="  ")
    assert set(exc.value.errors) == {"text"}


def test_it_refuses_done_without_evidence_when_the_action_has_no_benchmark(action, owner):
    with pytest.raises(services.InvalidInput) as exc:
        services.action_update(action=action, actor=owner, lock_version=0, status="done", evidence=" ")
    assert set(exc.value.errors) == {"evidence"}
    done = services.action_update(action=action, actor=owner, lock_version=0, status="done", evidence="Adviser in post")
    assert done.status == "done" and done.completed_at is not None


def test_it_refuses_done_while_a_benchmark_lacks_its_evidence_and_then_takes_the_benchmarks_evidence(action, owner):
    benchmark = services.benchmark_add(actor=owner, action=action, description="Adviser in post",
                                       due_date=TODAY + dt.timedelta(days=10), today=TODAY)
    with pytest.raises(services.InvalidInput) as exc:
        services.action_update(action=action, actor=owner, lock_version=0, status="done", evidence="All done")
    assert "Adviser in post" in exc.value.errors["status"]
    services.benchmark_meet(benchmark=benchmark, actor=owner, evidence="Contract signed")
    assert services.action_update(action=action, actor=owner, lock_version=0, status="done").status == "done"


@pytest.mark.parametrize("reason", ["", " ", "x", "too short  reason"])  # the last: 14 characters not spaces
def test_it_refuses_a_cancellation_without_a_real_reason(action, owner, chair_a, reason):
    with pytest.raises(services.InvalidInput) as exc:
        services.action_update(action=action, actor=owner, lock_version=0, status="cancelled", cancel_reason=reason)
    assert set(exc.value.errors) == {"cancel_reason"}
    assert not Notification.objects.filter(code="followup.action_cancelled").exists()


def test_a_cancellation_with_a_reason_tells_the_plans_chair_and_eosg(action, owner, chair_a, chair_b, eosg):
    cancelled = services.action_update(action=action, actor=owner, lock_version=0, status="cancelled",
                                       cancel_reason=GOOD_REASON)
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", GOOD_REASON)
    told = Notification.objects.filter(code="followup.action_cancelled")
    assert sorted(told.values_list("recipient__username", flat=True)) == sorted([chair_a.username, eosg.username])
    assert all(n.params["action_id"] == action.pk for n in told)
    assert GOOD_REASON not in str(told.first().params)  # the reason stays on the page, not in mail


def test_the_owner_cannot_reopen_a_closed_action(action, owner):
    services.action_update(action=action, actor=owner, lock_version=0, status="done", evidence="Adviser in post")
    with pytest.raises(services.InvalidInput, match="correct"):
        services.action_update(action=action, actor=owner, lock_version=1, status="in_progress", text="More to do")
    with pytest.raises(services.FollowupError, match="Only the plan's region chair or EOSG"):
        services.action_reopen(action=action, actor=owner, lock_version=1, reason="More to do")
    assert Action.objects.get(pk=action.pk).status == "done"


@pytest.mark.parametrize("closed", ["done", "cancelled"])
@pytest.mark.parametrize("who", ["chair_a", "eosg"])
def test_the_plans_chair_or_eosg_reopen_a_closed_action_with_a_reason(request, action, owner, closed, who):
    actor = request.getfixturevalue(who)
    _move(action, owner, closed)
    action.refresh_from_db()
    with pytest.raises(services.InvalidInput) as exc:
        services.action_reopen(action=action, actor=actor, lock_version=action.lock_version, reason=" ")
    assert set(exc.value.errors) == {"reason"}
    reopened = services.action_reopen(action=action, actor=actor, lock_version=action.lock_version,
                                      reason="The adviser left after a week.")
    assert (reopened.status, reopened.completed_at, reopened.cancel_reason) == ("in_progress", None, "")
    entry = reopened.updates.first()
    assert (entry.code, entry.params) == ("reopened", {"was": closed, "reason": "The adviser left after a week."})
    assert Notification.objects.filter(recipient=owner, code="followup.action_reopened").exists()


def test_an_open_action_is_not_reopened_and_a_chair_elsewhere_reopens_nothing(action, owner, chair_a, chair_b):
    with pytest.raises(services.InvalidInput):
        services.action_reopen(action=action, actor=chair_a, lock_version=0, reason="Why not")
    _move(action, owner, "done")
    action.refresh_from_db()
    with pytest.raises(services.FollowupError):
        services.action_reopen(action=action, actor=chair_b, lock_version=action.lock_version, reason="Why not")


# --- extending a deadline ---------------------------------------------------------------


def _extend(action, actor, new_deadline, reason="The adviser's visa is delayed.", lock_version=None):
    return services.action_extend(action=action, actor=actor, new_deadline=new_deadline, reason=reason,
                                  lock_version=action.lock_version if lock_version is None else lock_version)


@pytest.mark.parametrize("who", ["owner", "chair_b", "sag", "officer_a"])
def test_only_the_plans_chair_or_eosg_extend_a_deadline(request, action, who):
    with pytest.raises(services.FollowupError, match="Only the plan's region chair or EOSG"):
        _extend(action, request.getfixturevalue(who), TODAY + dt.timedelta(days=60))
    assert Action.objects.get(pk=action.pk).deadline == TODAY + dt.timedelta(days=30)


@pytest.mark.parametrize(("days", "reason", "field"), [
    (-1, "Late visa", "new_deadline"),     # into the past
    (0, "Late visa", "new_deadline"),      # today is not after today
    (20, "Late visa", "new_deadline"),     # before the old deadline
    (30, "Late visa", "new_deadline"),     # the old deadline itself
    (60, "  ", "reason"),                  # no reason
])
def test_it_refuses_an_extension_that_is_not_later_or_has_no_reason(action, chair_a, days, reason, field):
    with pytest.raises(services.InvalidInput) as exc:
        _extend(action, chair_a, TODAY + dt.timedelta(days=days), reason=reason)
    assert set(exc.value.errors) == {field}
    assert not DeadlineChange.objects.exists()


@pytest.mark.parametrize("who", ["chair_a", "eosg"])
def test_the_chair_or_eosg_extend_a_missed_deadline_keeping_the_old_date(request, make_plan, owner, time_machine, who):
    actor = request.getfixturevalue(who)
    missed = TODAY + dt.timedelta(days=5)
    action = make_plan(missed, TODAY)
    time_machine.move_to(_at(missed + dt.timedelta(days=10)), tick=False)
    enforcement.sweep_overdue(now=_at(missed + dt.timedelta(days=10)))
    action.refresh_from_db()
    assert action.overdue_step == 2
    read = action.lock_version
    extended = _extend(action, actor, missed + dt.timedelta(days=40))
    assert (extended.deadline, extended.overdue_step, extended.reminders_sent) == (missed + dt.timedelta(days=40), 0, 0)
    assert extended.lock_version == read + 1
    change = DeadlineChange.objects.get(action=action)
    assert (change.old_deadline, change.new_deadline, change.author, change.reason) == (
        missed, missed + dt.timedelta(days=40), actor, "The adviser's visa is delayed.")
    audit = AuditEvent.objects.filter(object_type="followup.action", object_id=str(action.pk)).first()
    assert audit.actor == actor and audit.detail["step"] == "extended"
    assert audit.changes["deadline"] == [missed.isoformat(), (missed + dt.timedelta(days=40)).isoformat()]
    assert Notification.objects.filter(recipient=owner, code="followup.deadline_extended").exists()


def test_a_stale_extension_is_refused_and_a_closed_action_is_not_extended(action, owner, chair_a):
    services.action_update(action=action, actor=owner, lock_version=0, status="in_progress", text="Started")
    with pytest.raises(services.StaleEdit):
        _extend(action, chair_a, TODAY + dt.timedelta(days=60), lock_version=0)
    action.refresh_from_db()
    _move(action, owner, "done")
    action.refresh_from_db()
    with pytest.raises(services.FollowupError, match="closed"):
        _extend(action, chair_a, TODAY + dt.timedelta(days=60))


def test_after_an_extension_the_ladder_counts_again_from_the_new_date_each_step_once(make_plan, chair_a, time_machine):
    old = TODAY + dt.timedelta(days=10)
    action = make_plan(old, TODAY)
    day = dt.timedelta(days=1)

    def run(first, last):
        d = first
        while d <= last:
            time_machine.move_to(_at(d), tick=False)
            for _ in range(2):  # a duplicate beat changes nothing
                enforcement.sweep_reminders(now=_at(d))
                enforcement.sweep_overdue(now=_at(d))
            d += day

    run(TODAY, old + 25 * day)
    action.refresh_from_db()
    new = old + 60 * day
    _extend(action, chair_a, new)
    run(old + 26 * day, new + 30 * day)
    got = [(e.kind, timezone.localdate(e.created_at)) for e in action.events.order_by("created_at", "id")]
    ladder = ["reminder", "reminder", "overdue_owner", "overdue_chair", "overdue_eosg"]
    assert got == [
        *zip(ladder, [old - 7 * day, old - day, old + day, old + 7 * day, old + 21 * day], strict=True),
        *zip(ladder, [new - 7 * day, new - day, new + day, new + 7 * day, new + 21 * day], strict=True),
    ]


def test_a_sweep_that_read_the_old_deadline_cannot_step_the_extended_action(make_plan, chair_a, time_machine):
    old = TODAY + dt.timedelta(days=2)
    action = make_plan(old, TODAY)
    later = old + dt.timedelta(days=3)
    time_machine.move_to(_at(later), tick=False)
    _extend(action, chair_a, later + dt.timedelta(days=20))
    # What a sweep that read the row before the extension would do next: its claim compares the deadline.
    assert enforcement._advance(Action, action.pk, 0, 1, old) == 0
    assert not EnforcementEvent.objects.filter(action=action).exists()
    assert Action.objects.get(pk=action.pk).overdue_step == 0


def test_a_benchmark_can_then_be_added_up_to_the_new_deadline(make_plan, owner, chair_a, time_machine):
    old = TODAY + dt.timedelta(days=2)
    action = make_plan(old, TODAY)
    later = old + dt.timedelta(days=5)
    time_machine.move_to(_at(later), tick=False)
    new = later + dt.timedelta(days=30)
    with pytest.raises(services.InvalidInput):
        services.benchmark_add(actor=owner, action=action, description="Visa", due_date=later + dt.timedelta(days=3),
                               today=later)
    action = _extend(action, chair_a, new)
    assert services.benchmark_add(actor=owner, action=action, description="Visa", due_date=new, today=later).due_date == new
    with pytest.raises(services.InvalidInput) as exc:
        services.benchmark_add(actor=owner, action=action, description="Late", due_date=new + dt.timedelta(days=1),
                               today=later)
    assert new.isoformat() in exc.value.errors["due_date"]


def test_a_missed_deadline_is_not_moved_by_reassigning_the_action(make_plan, owner, chair_a, time_machine):
    missed = TODAY + dt.timedelta(days=2)
    action = make_plan(missed, TODAY)
    later = missed + dt.timedelta(days=4)
    time_machine.move_to(_at(later), tick=False)
    with pytest.raises(services.InvalidInput) as exc:
        services.action_reassign(action=action, actor=chair_a, lock_version=action.lock_version, owner=owner,
                                 deadline=later + dt.timedelta(days=20), today=later)
    assert "extend it with a reason" in exc.value.errors["deadline"]
    assert Action.objects.get(pk=action.pk).deadline == missed


def test_the_log_speaks_each_readers_language_whoever_wrote_it(login, action, owner, chair_a):
    """The app's words in an action's log are stored as codes: a French owner reads French, an English
    chair English, whatever the language of whoever caused them; a person's own words stay as written."""
    _move(action, owner, "done")
    action.refresh_from_db()
    with translation.override("fr"):  # a French-speaking chair reopens
        services.action_reopen(action=action, actor=chair_a, lock_version=action.lock_version, reason="Il est parti.")
    url = reverse("followup:action_detail", args=[action.pk])
    english = login(chair_a).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reopened (it was Done): Il est parti." in english
    with translation.override("es"):
        spanish_line = gettext("Reopened (it was %(was)s): %(reason)s") % {"was": gettext("Done"), "reason": "Il est parti."}
    assert spanish_line != "Reopened (it was Done): Il est parti."
    assert spanish_line in login(owner).get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    api = login(owner).get(reverse("action-updates", args=[action.pk]), HTTP_ACCEPT_LANGUAGE="es").json()
    assert api["results"][0]["code"] == "reopened" and api["results"][0]["text"] == spanish_line
