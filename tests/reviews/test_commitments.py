"""Every recorded decision makes a commitment with a due date; the service that does the thing fulfils it,
and the sweep tells the ladder's rungs once each when it is missed (issue 12, item 1)."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from hruf.models import Notification, Role, RoleAssignment
from hruf.notices import render_notice
from reviews import services
from reviews.commitment_sweeps import sweep_commitments
from reviews.models import AgendaItem, Commitment, CommitmentStep, Decision
from reviews.reasons import render_reason
from reviews.selectors import sag_candidates
from scans.models import WarningStep

from ..factories import CountryFactory, file_scan
from .commitment_world import DAY, KINDS, Q3, Q4, RECORDED, fulfil, record

pytestmark = pytest.mark.usefixtures("matrix")
MISSED = "reviews.commitment_missed"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(RECORDED, tick=False)


def _told() -> Counter:
    """(recipient, rung) of every missed-commitment notice: each must appear once."""
    return Counter((n.recipient.username, n.params["rung"]) for n in Notification.objects.filter(code=MISSED))


def _told_by_rung(rungs) -> Counter:
    return Counter((user, n) for n, users in enumerate(rungs, start=1) for user in users)


@pytest.mark.parametrize("kind", KINDS)
def test_it_makes_each_decisions_commitment_due_by_its_settings(decided, kind):
    decision, due, _rungs = KINDS[kind]
    item = decided(decision)
    commitment = item.commitments.get()
    assert (commitment.kind, commitment.state, commitment.due_at, commitment.ladder_step) == (kind, "open", due, 0)
    assert list(commitment.steps.values_list("kind", flat=True)) == ["made"]


@pytest.mark.parametrize("kind", KINDS)
def test_it_is_fulfilled_on_time_and_nobody_is_told(decided, kind, eosg, owner, time_machine):
    decision, due, _rungs = KINDS[kind]
    item = decided(decision)
    time_machine.move_to(due - DAY, tick=False)
    fulfil(kind, item, eosg=eosg, owner=owner)
    commitment = Commitment.objects.get(item=item)
    assert (commitment.state, commitment.fulfilled_at, commitment.is_late) == ("fulfilled", due - DAY, False)
    time_machine.move_to(due + 60 * DAY, tick=False)
    assert sweep_commitments().done == 0
    assert not _told()


@pytest.mark.parametrize("kind", KINDS)
def test_it_tells_each_rung_once_when_never_fulfilled(decided, kind, time_machine):
    decision, due, rungs = KINDS[kind]
    item = decided(decision)
    time_machine.move_to(due - dt.timedelta(minutes=1), tick=False)
    assert sweep_commitments().done == 0
    time_machine.move_to(due, tick=False)
    assert sweep_commitments().done == 1
    assert sweep_commitments().done == 0  # a second sweep sends nothing
    assert _told() == _told_by_rung(rungs[:1])
    time_machine.move_to(due + 7 * DAY, tick=False)
    assert sweep_commitments().done == len(rungs) - 1
    time_machine.move_to(due + 90 * DAY, tick=False)
    assert sweep_commitments().done == 0
    assert _told() == _told_by_rung(rungs)
    commitment = Commitment.objects.get(item=item)
    assert (commitment.state, commitment.ladder_step, commitment.is_escalated) == ("open", len(rungs), True)
    assert Commitment.objects.escalated().get() == commitment
    assert [s.rung for s in commitment.steps.filter(kind="missed")] == list(range(1, len(rungs) + 1))


@pytest.mark.parametrize("kind", KINDS)
def test_it_is_fulfilled_late_after_the_ladder_told_the_first_rung(decided, kind, eosg, owner, time_machine):
    decision, due, rungs = KINDS[kind]
    item = decided(decision)
    time_machine.move_to(due + DAY, tick=False)
    sweep_commitments()
    fulfil(kind, item, eosg=eosg, owner=owner)
    commitment = Commitment.objects.get(item=item)
    assert (commitment.state, commitment.is_late, commitment.fulfilled_at) == ("fulfilled", True, due + DAY)
    time_machine.move_to(due + 60 * DAY, tick=False)
    assert sweep_commitments().done == 0  # fulfilled: the second rung is never told
    assert _told() == _told_by_rung(rungs[:1])


def test_a_sweep_that_missed_days_tells_every_rung_at_once(decided, time_machine):
    item = decided(Decision.PLAN)
    time_machine.move_to(KINDS["plan"][1] + 30 * DAY, tick=False)
    assert sweep_commitments().done == 2
    assert _told() == _told_by_rung(KINDS["plan"][2])
    assert Commitment.objects.get(item=item).ladder_step == 2


def test_the_notice_says_what_was_missed_in_the_readers_language(decided, time_machine):
    decided(Decision.ESCALATE)
    time_machine.move_to(KINDS["sag"][1], tick=False)
    sweep_commitments()
    notice = Notification.objects.get(code=MISSED)
    assert notice.email_state == "pending"  # never held for a digest
    assert render_notice(MISSED, notice.params) == (
        "Commitment missed: Country A",
        "RQR Region A 2026-Q3 escalated Country A to the Senior Action Group, to be taken by 14 November 2026: "
        "no SAG meeting has taken it.",
    )
    # Stored as a code with plain values: the day is written in the reader's language when read.
    assert "14 novembre 2026" in render_notice(MISSED, notice.params, language="fr")[1]


def test_a_region_without_a_chair_has_eosg_told_at_the_first_rung(decided, chair_a, time_machine):
    decided(Decision.PLAN)
    RoleAssignment.objects.filter(user=chair_a, role=Role.CHAIR).delete()
    time_machine.move_to(KINDS["plan"][1], tick=False)
    sweep_commitments()
    assert _told() == Counter({("eosg", 1): 1})


def test_a_new_decision_supersedes_the_open_commitment_and_keeps_it(decided, time_machine):
    item = decided(Decision.PLAN)
    time_machine.move_to(RECORDED + 2 * DAY, tick=False)
    record(item, item.meeting.chair, Decision.MONITOR)
    old, new = Commitment.objects.filter(item=item).order_by("pk")
    assert (old.kind, old.state, old.superseded_at) == ("plan", "superseded", RECORDED + 2 * DAY)
    assert (new.kind, new.state) == ("monitor", "open")
    time_machine.move_to(KINDS["plan"][1] + DAY, tick=False)
    assert sweep_commitments().done == 0  # the superseded plan is never chased


def test_recording_the_same_decision_again_keeps_its_commitment(decided):
    item = decided(Decision.PLAN)
    record(item, item.meeting.chair, Decision.PLAN, reason="Reworded")
    assert Commitment.objects.filter(item=item).count() == 1


def test_a_decision_recorded_again_after_its_thing_was_done_is_met_from_the_start(decided, eosg, owner):
    item = decided(Decision.ENHANCED)
    services.enhanced_reporting_confirm(item=item, actor=eosg)
    record(item, item.meeting.chair, Decision.MONITOR)
    record(item, item.meeting.chair, Decision.ENHANCED)
    latest = Commitment.objects.filter(item=item).latest("pk")
    assert (latest.kind, latest.state) == ("enhanced", "fulfilled")


def test_the_warnings_timeline_shows_the_commitment_made_missed_and_met(decided, eosg, owner, time_machine):
    item = decided(Decision.PLAN)
    warning = item.warnings.get()
    time_machine.move_to(KINDS["plan"][1], tick=False)
    sweep_commitments()
    fulfil("plan", item, eosg=eosg, owner=owner)
    steps = [s.detail for s in warning.steps.filter(kind=WarningStep.Kind.COMMITMENT)]
    assert steps == [
        "A follow-up plan adopted by 29 October 2026.",
        "Missed: the region's chairs told.",
        "Met: A follow-up plan adopted.",
    ]
    assert warning.act_by == KINDS["plan"][1]  # the decided warning waits for the plan until the same day


def test_an_escalations_commitment_shows_on_the_warning_it_raised_for_the_sag(decided):
    item = decided(Decision.ESCALATE)
    escalation = AgendaItem.objects.get(pk=item.pk).escalation_warning
    assert escalation.steps.filter(kind=WarningStep.Kind.COMMITMENT).get().detail == (
        "Taken by a Senior Action Group meeting by 14 November 2026."
    )


def test_a_plan_for_the_sag_item_fulfils_the_sags_own_plan_commitment(decided, eosg, owner, time_machine):
    item = decided(Decision.ESCALATE)
    fulfil("sag", item, eosg=eosg, owner=owner)
    sag_item = item.sag_items.get()
    services.agenda_publish(meeting=sag_item.meeting, actor=eosg, lock_version=sag_item.meeting.lock_version)
    record(sag_item, eosg, Decision.PLAN)
    assert sag_item.commitments.get().state == "open"
    fulfil("plan", AgendaItem.objects.get(pk=item.pk), eosg=eosg, owner=owner)  # drafted from the escalated item
    assert sag_item.commitments.get().state == "fulfilled"


def test_the_enforce_command_runs_the_commitments_sweep(decided, time_machine, capsys):
    decided(Decision.ENHANCED)
    time_machine.move_to(KINDS["enhanced"][1], tick=False)
    call_command("enforce", "commitments")
    assert "commitments: 1 done, 0 failed" in capsys.readouterr().out
    assert CommitmentStep.objects.filter(kind="missed").count() == 1


# --- keep monitoring: the next review proposes the country, saying who decided --------------------


def test_the_regions_next_review_proposes_a_monitored_country_and_publishing_it_meets_the_commitment(
    region_a, chair_a, officer_a, officer_b, country_a, country_b, eosg, time_machine
):
    file_scan(country_a, officer_a, Q3, rating=3, evidence="e")
    file_scan(country_b, officer_b, Q3, rating=0)  # low risk: nothing else would propose it
    q3 = services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 10, 14), chair=chair_a)
    services.agenda_add(meeting=q3, actor=chair_a, country=country_b, reason="Elections ahead", lock_version=q3.lock_version)
    q3.refresh_from_db()
    services.agenda_publish(meeting=q3, actor=chair_a, lock_version=q3.lock_version)
    item = record(q3.items.get(country=country_b), chair_a, Decision.MONITOR)
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False)
    file_scan(country_b, officer_b, Q4, rating=0)
    q4 = services.rqr_create(actor=chair_a, region=region_a, quarter=Q4, date=dt.date(2026, 12, 10), chair=chair_a)
    proposed = q4.items.get(country=country_b)
    assert [render_reason(r) for r in proposed.proposal_reasons] == ["Monitoring decided at RQR Region A 2026-Q3."]
    assert render_reason(proposed.proposal_reasons[0], language="fr") != ""
    assert Commitment.objects.get(item=item).state == "open"  # proposed is not yet discussed
    services.agenda_publish(meeting=q4, actor=chair_a, lock_version=q4.lock_version)
    commitment = Commitment.objects.get(item=item)
    assert (commitment.state, commitment.is_late) == ("fulfilled", False)
    q4.refresh_from_db()
    assert next(r for r in q4.snapshot if r["country_id"] == country_b.pk)["reasons"] == proposed.proposal_reasons


def test_a_next_review_published_without_the_country_leaves_the_commitment_open(decided, region_a, chair_a, country_a,
                                                                                time_machine):
    item = decided(Decision.MONITOR)
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False)
    q4 = services.rqr_create(actor=chair_a, region=region_a, quarter=Q4, date=dt.date(2026, 12, 10), chair=chair_a)
    proposed = q4.items.get(country=country_a)
    services.agenda_remove(item=proposed, actor=chair_a, reason="Discussed in Q3", lock_version=q4.lock_version)
    q4.refresh_from_db()
    services.agenda_add(meeting=q4, actor=chair_a, country=CountryFactory(region=region_a), reason="Other",
                        lock_version=q4.lock_version)
    q4.refresh_from_db()
    services.agenda_publish(meeting=q4, actor=chair_a, lock_version=q4.lock_version)
    assert Commitment.objects.get(item=item).state == "open"


# --- a SAG's own decisions ----------------------------------------------------------------------------


@pytest.fixture
def sag_case(decided, eosg, owner):
    """Country A escalated in Q3, taken by the SAG of 20 November, whose agenda is published."""
    item = decided(Decision.ESCALATE)
    fulfil("sag", item, eosg=eosg, owner=owner)
    sag_item = item.sag_items.get()
    meeting = sag_item.meeting
    services.agenda_publish(meeting=meeting, actor=eosg, lock_version=meeting.lock_version)
    return AgendaItem.objects.get(pk=sag_item.pk)


def test_a_sags_monitoring_comes_back_to_a_sag_meeting_as_a_candidate(sag_case, eosg, login, time_machine):
    record(sag_case, eosg, Decision.MONITOR)
    commitment = sag_case.commitments.get()
    assert commitment.due_at == RECORDED + 30 * DAY
    items, _alerts = sag_candidates(eosg)
    assert list(items) == [sag_case]
    later = services.sag_create(actor=eosg, date=dt.date(2026, 12, 1))
    response = login(eosg).post(reverse("reviews:sag_take", args=[later.pk]),
                                {"lock_version": later.lock_version, "item": sag_case.pk})
    assert response.status_code == 302
    again = later.items.get()
    assert [render_reason(r) for r in again.proposal_reasons] == ["Monitoring decided at SAG 2026-11-20."]
    assert Commitment.objects.get(pk=commitment.pk).state == "fulfilled"
    assert not list(sag_candidates(eosg)[0])


def test_a_sags_missed_monitoring_tells_the_sag_then_eosg(sag_case, eosg, time_machine):
    record(sag_case, eosg, Decision.MONITOR)
    time_machine.move_to(RECORDED + 60 * DAY, tick=False)
    assert sweep_commitments().done == 2
    assert _told() == Counter({("sag", 1): 1, ("eosg", 2): 1})


def test_a_sag_plan_decision_is_met_by_a_plan_from_the_sag_item(sag_case, eosg, owner):
    record(sag_case, eosg, Decision.PLAN)
    fulfil("plan", sag_case, eosg=eosg, owner=owner)
    assert sag_case.commitments.get().state == "fulfilled"


def test_an_item_not_monitored_is_no_sag_candidate(sag_case, eosg, login):
    record(sag_case, eosg, Decision.PLAN)
    assert not list(sag_candidates(eosg)[0])
    later = services.sag_create(actor=eosg, date=dt.date(2026, 12, 1))
    response = login(eosg).post(reverse("reviews:sag_take", args=[later.pk]),
                                {"lock_version": later.lock_version, "item": sag_case.pk})
    assert response.status_code == 404
