"""Plans that close with an outcome (issue 12, item 3): closed by the plan's region chair or EOSG once
every action is done or cancelled, with the scores at adoption and closing and the actions' timeliness
filled in by the app; a plan left without its outcome is chased, each step once."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from followup import outcome_sweeps, services
from followup.models import Action, EnforcementEvent, Plan
from hruf.models import AuditEvent, Notification
from scans.periods import Period

from ..factories import file_scan

TODAY = dt.date(2026, 11, 27)
GOOD_REASON = "The host government withdrew its consent."
OUTCOME = "The adviser reported weekly; the attacks stopped after the talks."


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(_at(TODAY), tick=False)


@pytest.fixture
def plan(make_plan, country_a, officer_a, matrix):
    file_scan(country_a, officer_a, Period.parse("2026-Q3"), rating=2)  # the score at adoption
    return make_plan(TODAY + dt.timedelta(days=10), TODAY).plan


def _finish(action: Action, *, status: str = "done") -> Action:
    return services.action_update(
        action=action,
        actor=action.owner,
        lock_version=action.lock_version,
        status=status,
        evidence="Adviser in post since Monday.",
        cancel_reason=GOOD_REASON,
    )


def _close(plan: Plan, actor, **fields) -> Plan:
    data = {"outcome": OUTCOME, "helped": "partly", **fields}
    return services.plan_close(plan=plan, actor=actor, lock_version=plan.lock_version, **data)


def test_adoption_records_the_country_s_last_score_and_tier(plan):
    assert plan.adoption_score is not None and plan.adoption_tier
    revision = plan.country.scans.get().submitted_revision
    assert (plan.adoption_score, plan.adoption_tier) == (revision.score, revision.tier)


def test_closing_fills_in_scores_and_what_was_done_on_time(
    plan, chair_a, eosg, owner, ohchr, country_a, officer_a, time_machine
):
    late = services.action_add(
        plan=plan,
        actor=eosg,
        draft=services.ActionDraft(
            title="Convene the parties", lead_entity=ohchr, owner=owner, deadline=TODAY + dt.timedelta(days=5)
        ),
    )
    extended = services.action_add(
        plan=plan,
        actor=eosg,
        draft=services.ActionDraft(
            title="Monitor the hearings", lead_entity=ohchr, owner=owner, deadline=TODAY + dt.timedelta(days=5)
        ),
    )
    cancelled = services.action_add(
        plan=plan,
        actor=eosg,
        draft=services.ActionDraft(
            title="Fund the radio", lead_entity=ohchr, owner=owner, deadline=TODAY + dt.timedelta(days=5)
        ),
    )
    _finish(plan.actions.get(title="Deploy a human rights adviser"))  # due in 10 days, done today
    _finish(cancelled, status="cancelled")
    services.action_extend(
        action=extended,
        actor=eosg,
        new_deadline=TODAY + dt.timedelta(days=20),
        reason="The court adjourned.",
        lock_version=extended.lock_version,
    )
    time_machine.move_to(_at(TODAY + dt.timedelta(days=8)), tick=False)
    _finish(Action.objects.get(pk=late.pk))  # 3 days past its deadline
    _finish(Action.objects.get(pk=extended.pk))  # on time for the new deadline, late for the one it was given
    file_scan(country_a, officer_a, Period.parse("2026-Q4"), rating=1, today=TODAY)
    plan.refresh_from_db()

    closed = _close(plan, eosg)

    assert closed.closed_at is not None and closed.closed_by == eosg
    assert (closed.actions_on_time, closed.actions_late, closed.actions_cancelled) == (1, 2, 1)
    revision = country_a.scans.get(period="2026-Q4").submitted_revision
    assert (closed.closing_score, closed.closing_tier) == (revision.score, revision.tier)
    assert closed.closing_score < closed.adoption_score
    assert (closed.outcome, closed.helped) == (OUTCOME, "partly")
    assert AuditEvent.objects.filter(object_type="followup.plan", object_id=str(plan.pk), action="update").exists()
    told = set(Notification.objects.filter(code="followup.plan_closed").values_list("recipient__username", flat=True))
    assert told == {"chair_a", "eosg"}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"outcome": ""}, "outcome", "at least 15 characters"),
        ({"outcome": "   it helped.   "}, "outcome", "at least 15 characters"),
        ({"helped": ""}, "helped", "whether the plan helped"),
        ({"helped": "maybe"}, "helped", "whether the plan helped"),
    ],
)
def test_closing_without_an_outcome_is_refused(plan, eosg, fields, field, message):
    _finish(plan.actions.get())
    plan.refresh_from_db()
    with pytest.raises(services.InvalidInput) as refused:
        _close(plan, eosg, **fields)
    assert message in refused.value.errors[field]
    plan.refresh_from_db()
    assert plan.closed_at is None


def test_closing_with_open_actions_is_refused(plan, eosg):
    with pytest.raises(services.FollowupError, match="1 action of the plan is still open"):
        _close(plan, eosg)
    assert Plan.objects.get(pk=plan.pk).closed_at is None


def test_only_the_plan_s_chair_or_eosg_close_it(plan, chair_a, chair_b, owner, eosg):
    _finish(plan.actions.get())
    plan.refresh_from_db()
    for outsider in (chair_b, owner):
        with pytest.raises(services.FollowupError, match="Only the plan's region chair or EOSG"):
            _close(plan, outsider)
    assert _close(plan, chair_a).closed_by == chair_a


def test_a_closed_plan_keeps_its_actions_as_they_were(plan, eosg, owner, ohchr):
    action = _finish(plan.actions.get())
    plan.refresh_from_db()
    _close(plan, eosg)
    with pytest.raises(services.FollowupError, match="closed with its outcome"):
        services.action_reopen(
            action=Action.objects.get(pk=action.pk), actor=eosg, lock_version=action.lock_version, reason="More to do"
        )
    with pytest.raises(services.FollowupError, match="closed with its outcome"):
        services.action_add(
            plan=Plan.objects.get(pk=plan.pk),
            actor=eosg,
            draft=services.ActionDraft(
                title="More", lead_entity=ohchr, owner=owner, deadline=TODAY + dt.timedelta(days=5)
            ),
        )
    with pytest.raises(services.FollowupError, match="closed with its outcome"):
        _close(Plan.objects.get(pk=plan.pk), eosg)


def _sweep(day: dt.date) -> None:
    outcome_sweeps.sweep_outcomes(now=_at(day, 12))


def _steps(plan: Plan) -> list[str]:
    return list(EnforcementEvent.objects.filter(plan=plan).order_by("id").values_list("kind", flat=True))


def _told(plan: Plan) -> list[str]:
    rows = Notification.objects.filter(code="followup.outcome_missing", params__title=plan.title)
    return sorted(rows.values_list("recipient__username", flat=True))


def test_a_plan_without_its_outcome_is_chased_chair_then_eosg_each_once(plan, chair_a):
    _finish(plan.actions.get())  # every action closed today
    for day in range(0, 30):
        _sweep(TODAY + dt.timedelta(days=day))
    assert _steps(plan) == []
    _sweep(TODAY + dt.timedelta(days=30))
    _sweep(TODAY + dt.timedelta(days=30))
    assert _steps(plan) == ["outcome_chair"] and _told(plan) == ["chair_a"]
    _sweep(TODAY + dt.timedelta(days=43))
    assert len(_steps(plan)) == 1
    for _ in range(2):
        _sweep(TODAY + dt.timedelta(days=44))
    assert _steps(plan) == ["outcome_chair", "outcome_eosg"] and _told(plan) == ["chair_a", "eosg"]
    assert Plan.objects.get(pk=plan.pk).outcome_step == 2


def test_a_late_sweep_records_both_steps_and_a_closed_plan_is_not_chased(plan, make_plan, eosg):
    _finish(plan.actions.get())
    _sweep(TODAY + dt.timedelta(days=60))
    assert _steps(plan) == ["outcome_chair", "outcome_eosg"]

    other = make_plan(TODAY + dt.timedelta(days=10), TODAY).plan
    _finish(other.actions.get())
    other.refresh_from_db()
    _close(other, eosg)
    _sweep(TODAY + dt.timedelta(days=60))
    assert _steps(other) == []


def test_an_action_reopened_starts_the_chase_over_from_its_next_closing(plan, eosg, time_machine):
    action = _finish(plan.actions.get())
    _sweep(TODAY + dt.timedelta(days=30))
    assert _steps(plan) == ["outcome_chair"]
    time_machine.move_to(_at(TODAY + dt.timedelta(days=31)), tick=False)
    action = services.action_reopen(action=action, actor=eosg, lock_version=action.lock_version, reason="Not yet")
    assert Plan.objects.get(pk=plan.pk).outcome_step == 0
    _sweep(TODAY + dt.timedelta(days=45))
    assert _steps(plan) == ["outcome_chair"]  # an open action: nothing is waited for
    time_machine.move_to(_at(TODAY + dt.timedelta(days=50)), tick=False)
    _finish(action)
    _sweep(TODAY + dt.timedelta(days=79))
    assert _steps(plan) == ["outcome_chair"]
    _sweep(TODAY + dt.timedelta(days=80))
    assert _steps(plan) == ["outcome_chair", "outcome_chair"]


# --- the page ---------------------------------------------------------------------


def test_the_close_form_shows_once_every_action_is_closed(login, plan, eosg):
    url = reverse("followup:plan_detail", args=[plan.pk])
    html = login(eosg).get(url).content.decode()
    assert "1 action is still open" in html and reverse("followup:plan_close", args=[plan.pk]) not in html
    _finish(plan.actions.get())
    html = login(eosg).get(url).content.decode()
    assert reverse("followup:plan_close", args=[plan.pk]) in html
    assert re.search(r'<label\s+for="id_outcome"', html) and 'name="helped"' in html


def test_a_rejected_outcome_keeps_what_was_typed(login, plan, eosg):
    _finish(plan.actions.get())
    plan.refresh_from_db()
    client = login(eosg)
    typed = "Too short"
    response = client.post(
        reverse("followup:plan_close", args=[plan.pk]),
        {"outcome": typed, "helped": "yes", "lock_version": plan.lock_version},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "at least 15 characters" in html and f"{typed}</textarea>" in html
    assert re.search(r'<input type="radio"[^>]*value="yes"[^>]*checked', html)
    assert Plan.objects.get(pk=plan.pk).closed_at is None


def test_closing_by_the_page_shows_the_outcome(login, plan, eosg):
    _finish(plan.actions.get())
    plan.refresh_from_db()
    client = login(eosg)
    response = client.post(
        reverse("followup:plan_close", args=[plan.pk]),
        {"outcome": OUTCOME, "helped": "yes", "lock_version": plan.lock_version},
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert 'id="section-outcome"' in html and OUTCOME in html and "1 done on time, 0 done late, 0 cancelled" in html
    assert "Add an action" not in html
