"""The commitments' sweep: a decision whose commitment is not met by its due date climbs a ladder.

- a plan: the region's chairs at the due date, EOSG COMMITMENT_ESCALATE_EOSG_DAYS later;
- taken by a SAG meeting, or enhanced reporting answered: EOSG at the due date;
- monitoring: the region's chairs (for a SAG's monitoring, the SAG), then EOSG.
A region without a chair, or a SAG without members, sends its rung one level up (hruf.recipients).

As the other sweeps (followup/enforcement.py, scans/ledger_sweeps.py): due rows are picked through the
(state, due_at) index, each handled in its own transaction; a compare-and-set on ladder_step claims the
row, a CommitmentStep with a unique key (and a step on each of its warnings) records the rung, and the
notifications are written beside it (the outbox). Two sweeps at once, a duplicate beat or a worker killed
half-way neither repeat a rung nor lose one; a row that fails is logged, counted and retried next run.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hruf.concurrency import compare_and_set
from hruf.models import User
from hruf.notifications import notify
from hruf.recipients import chairs_or_above, eosg_staff, sag_or_above
from hruf.sweeps import SweepResult, sweep_rows

from .commitments import step_record
from .models import Commitment, CommitmentStep
from .models.commitments import ladder_target
from .notices import COMMITMENT_MISSED

Kind = Commitment.Kind


def told_at(commitment: Commitment, rung: int) -> tuple[str, list[User]]:
    """Who hears of a missed commitment at this rung: ("chairs" | "sag" | "eosg", the people)."""
    if rung >= 2 or commitment.kind in (Kind.SAG, Kind.ENHANCED):
        return "eosg", eosg_staff()
    if commitment.kind == Kind.MONITOR and not commitment.item.meeting.is_rqr:
        return "sag", sag_or_above()
    return "chairs", chairs_or_above(commitment.item.country.region_id)


def sweep_commitments(*, now: dt.datetime | None = None) -> SweepResult:
    """Every open commitment past its due date climbs to the rung its age calls for."""
    now = now or timezone.now()
    eosg_day = now - dt.timedelta(days=settings.COMMITMENT_ESCALATE_EOSG_DAYS)
    due = Q(ladder_step=0) | Q(ladder_step=1, kind__in=[str(k) for k in Commitment.TWO_RUNGS], due_at__lte=eosg_day)
    rows = Commitment.objects.overdue(now).filter(due).values_list("pk", "ladder_step", "due_at", "kind")
    return sweep_rows(
        "missed commitments", rows,
        lambda row: _chase(row[0], row[1], row[2], ladder_target(row[3], row[2], now), now),
        row_id=lambda row: f"commitment {row[0]}",
    )


def _chase(pk: int, step: int, due_at: dt.datetime, target: int, now: dt.datetime) -> int:
    if target <= step:
        return 0
    with transaction.atomic():
        # The claim, on the row as read: a fulfilment or a new decision meanwhile takes it out.
        if not compare_and_set(Commitment.objects.open(), pk=pk, expected={"ladder_step": step, "due_at": due_at},
                               new={"ladder_step": target}):
            return 0
        commitment = Commitment.objects.select_related("item__country", "item__meeting__region").get(pk=pk)
        item = commitment.item
        for rung in range(step + 1, target + 1):  # a sweep that missed days still tells every rung
            told, recipients = told_at(commitment, rung)
            if not step_record(commitment, CommitmentStep.Kind.MISSED, key=f"commitment:{pk}:missed:{rung}", at=now,
                         actor=None, rung=rung, told=told):
                continue
            notify(
                recipients=recipients, code=COMMITMENT_MISSED,
                params={"country": str(item.country), "kind": commitment.kind, "meeting": item.meeting.title_params(),
                        "date": timezone.localdate(commitment.due_at).isoformat(), "rung": rung, "item_id": item.pk},
                link=reverse("reviews:meeting_detail", args=[item.meeting_id]) + f"#item-{item.pk}",
                hold_for_digest=False,  # a missed decision is the gap HRuF exists to close
            )
    return target - step
