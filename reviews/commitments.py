"""Every write to a commitment: made when a decision is recorded, superseded when another is recorded in
its place, fulfilled by the service that does the thing, in that service's transaction.

Who fulfils what (DOMAIN.md, "A decision creates a commitment"):
- a plan: followup.services.plan_create, for the item or for the SAG item that took it;
- taken by a SAG meeting: reviews.services.sag_take;
- enhanced reporting answered: reviews.services.enhanced_reporting_confirm or _decline;
- monitoring: reviews.services.agenda_publish, when the region's next review has the country on its
  agenda (a SAG's monitoring: sag_take, when a SAG meeting takes the case again).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hruf.concurrency import compare_and_set
from hruf.models import User
from scans import ledger
from scans.models import EarlyWarning, WarningStep
from scans.periods import Period

from .models import AgendaItem, Commitment, CommitmentStep, Decision, Meeting

Kind = Commitment.Kind
State = Commitment.State


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def due_of(item: AgendaItem, kind: str) -> dt.datetime:
    """When the commitment of the item's decision is due, counted from when it was recorded. A region's review keeps monitoring a country until its next
    review: by the end of the quarter after the one the decision is recorded in (a review of Q3 held
    in October is followed by Q4's, held as late as the quarter after it)."""
    decided = item.recorded_at or timezone.now()
    if kind == Kind.MONITOR and item.meeting.is_rqr:
        reviewed = Period.parse(item.meeting.quarter)
        today = Period.containing(timezone.localdate(decided), "quarterly")
        return _end_of_day(max(reviewed, today, key=lambda p: p.start).next().end)
    days: dict[str, int] = {
        Kind.PLAN: settings.COMMITMENT_PLAN_DAYS,
        Kind.SAG: settings.COMMITMENT_SAG_DAYS,
        Kind.ENHANCED: settings.COMMITMENT_ENHANCED_DAYS,
        Kind.MONITOR: settings.COMMITMENT_SAG_DAYS,  # a SAG's monitoring: taken again by a SAG meeting
    }
    return decided + dt.timedelta(days=days[kind])


def _already_met(item: AgendaItem, kind: str) -> bool:
    """A decision recorded again after its thing was done (a plan adopted, the case taken, EOSG
    answered) is met from the start. Plans are read through the reverse relation: follow-up is above."""
    if kind == Kind.PLAN:
        return AgendaItem.objects.filter(pk=item.pk, plans__isnull=False).exists()
    if kind == Kind.SAG:
        return item.sag_items.exists()
    if kind == Kind.ENHANCED:
        return item.enhanced_confirmed_at is not None or item.enhanced_declined_at is not None
    return False


def warnings_of(item: AgendaItem) -> list[EarlyWarning]:
    """The warnings whose timelines show the item's commitments: those it answers, and the one its
    escalation raised for the SAG."""
    warnings = list(item.warnings.all())
    if item.escalation_warning_id is not None and all(w.pk != item.escalation_warning_id for w in warnings):
        warnings.append(EarlyWarning.objects.get(pk=item.escalation_warning_id))
    return warnings


def step_record(commitment: Commitment, kind: str, *, key: str, at: dt.datetime, actor: User | None, rung: int = 0,
          told: str = "") -> bool:
    """Record one step of the commitment under its unique key, and the same step on its warnings'
    timelines; False, and nothing written, if it was recorded already."""
    try:
        with transaction.atomic():
            CommitmentStep.objects.create(commitment=commitment, kind=kind, rung=rung, key=key, at=at, actor=actor)
    except IntegrityError:
        return False
    detail = "commitment" if kind == CommitmentStep.Kind.MADE else f"commitment_{kind}"  # reviews/notices.py
    params = {"what": commitment.kind, "date": timezone.localdate(commitment.due_at).isoformat(),
              "commitment_id": commitment.pk, **({"told": told} if told else {})}
    for warning in warnings_of(commitment.item):
        ledger.step_add(warning, WarningStep.Kind.COMMITMENT, key=f"{key}:w{warning.pk}", actor=actor, at=at,
                        detail=detail, params=params)
    return True


def commitment_make(*, item: AgendaItem, actor: User, now: dt.datetime | None = None) -> Commitment:
    """The commitment of the item's recorded decision; an open one of an earlier decision is superseded
    (kept, for the history). Called by item_record in its transaction when the decision changes."""
    now = now or timezone.now()
    with transaction.atomic():
        previous = item.commitments.open().first()
        if previous is not None and compare_and_set(
            Commitment.objects.open(), pk=previous.pk, new={"state": State.SUPERSEDED, "superseded_at": now}
        ):
            step_record(previous, CommitmentStep.Kind.SUPERSEDED, key=f"commitment:{previous.pk}:superseded", at=now,
                        actor=actor)
        kind = Commitment.OF_DECISION[Decision(item.decision)]
        met = _already_met(item, kind)
        commitment = Commitment.objects.create(
            item=item, kind=kind, created_at=now, due_at=due_of(item, kind),
            state=State.FULFILLED if met else State.OPEN, fulfilled_at=now if met else None,
        )
        step_record(commitment, CommitmentStep.Kind.MADE, key=f"commitment:{commitment.pk}:made", at=now, actor=actor)
        if met:
            step_record(commitment, CommitmentStep.Kind.MET, key=f"commitment:{commitment.pk}:met", at=now, actor=actor)
    return commitment


def commitment_fulfil(
    *, item: AgendaItem, kinds: tuple[str, ...], actor: User | None, now: dt.datetime | None = None
) -> Commitment | None:
    """Mark the item's open commitment of one of these kinds fulfilled (late if past its due moment),
    in the caller's transaction. Compare-and-set: of two services that fulfil it at once, or a fulfilment
    racing a re-recorded decision, one wins; None if there was nothing open to fulfil."""
    now = now or timezone.now()
    commitment = item.commitments.open().filter(kind__in=kinds).first()
    if commitment is None:
        return None
    with transaction.atomic():
        if not compare_and_set(Commitment.objects.open(), pk=commitment.pk,
                               new={"state": State.FULFILLED, "fulfilled_at": now}):
            return None
        commitment.state, commitment.fulfilled_at = State.FULFILLED, now
        step_record(commitment, CommitmentStep.Kind.MET, key=f"commitment:{commitment.pk}:met", at=now, actor=actor)
    return commitment


def monitoring_fulfil(*, meeting: Meeting, country_ids, actor: User) -> list[Commitment]:
    """A published review of the region with these countries on its agenda fulfils the region's earlier
    reviews' commitments to keep monitoring them (called by agenda_publish)."""
    if not meeting.is_rqr or meeting.region_id is None:
        return []
    items = (
        AgendaItem.objects.filter(
            commitments__state=State.OPEN, commitments__kind=Kind.MONITOR, country_id__in=country_ids,
            meeting__kind=Meeting.Kind.RQR, meeting__region_id=meeting.region_id,
        )
        .exclude(meeting=meeting)
        .select_related("meeting")
    )
    done = [commitment_fulfil(item=item, kinds=(Kind.MONITOR,), actor=actor) for item in items]
    return [c for c in done if c is not None]
