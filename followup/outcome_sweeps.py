"""The chase of a plan's missing outcome: a plan whose actions are all done or cancelled is closed by
its region's chair or EOSG with an outcome (followup.services.plan_close). PLAN_OUTCOME_DAYS after its
last action closed, the region's chairs are told (EOSG if it has none); PLAN_OUTCOME_ESCALATE_EOSG_DAYS
later, EOSG. As the overdue ladder (followup/enforcement.py): a compare-and-set on outcome_step claims
the plan, an EnforcementEvent with a unique key records the step, the notifications are written beside
it; an action reopened or added meanwhile sets the step back to 0 and the chase starts over from its
next closing (a new key)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hruf.concurrency import compare_and_set
from hruf.notifications import notify
from hruf.recipients import chairs_or_above, eosg_staff
from hruf.sweeps import SweepResult, sweep_rows

from . import notices
from .enforcement import record_event
from .models import EnforcementEvent, Plan

_STEP_KIND = {1: EnforcementEvent.Kind.OUTCOME_CHAIR, 2: EnforcementEvent.Kind.OUTCOME_EOSG}


def outcome_step(all_closed_at: dt.datetime, now: dt.datetime) -> int:
    """0 not due yet; 1 the region's chairs; 2 EOSG."""
    waited = now - all_closed_at
    eosg_after = settings.PLAN_OUTCOME_DAYS + settings.PLAN_OUTCOME_ESCALATE_EOSG_DAYS
    if waited >= dt.timedelta(days=eosg_after):
        return 2
    return 1 if waited >= dt.timedelta(days=settings.PLAN_OUTCOME_DAYS) else 0


def sweep_outcomes(*, now: dt.datetime | None = None) -> SweepResult:
    """Every plan waiting for its outcome past its due climbs to the step its wait calls for."""
    now = now or timezone.now()
    chair_since = now - dt.timedelta(days=settings.PLAN_OUTCOME_DAYS)
    eosg_since = chair_since - dt.timedelta(days=settings.PLAN_OUTCOME_ESCALATE_EOSG_DAYS)
    due = Q(outcome_step=0) | Q(outcome_step=1, all_closed_at__lte=eosg_since)
    rows = (Plan.objects.awaiting_outcome().filter(due, all_closed_at__lte=chair_since)
            .values_list("pk", "outcome_step", "all_closed_at"))
    return sweep_rows(
        "plans without an outcome", rows,
        lambda row: _chase(row[0], row[1], outcome_step(row[2], now), row[2]),
        row_id=lambda row: f"plan {row[0]}",
    )


def _chase(pk: int, step: int, target: int, all_closed_at: dt.datetime) -> int:
    if target <= step:
        return 0
    with transaction.atomic():
        if not compare_and_set(Plan.objects.filter(closed_at__isnull=True), pk=pk, expected={"outcome_step": step},
                               new={"outcome_step": target}):
            return 0
        # Read again under the claim: an action reopened (and closed again) since the rows were read
        # moves the date the chase counts from.
        if not Plan.objects.awaiting_outcome().filter(pk=pk, all_closed_at=all_closed_at).exists():
            transaction.set_rollback(True)
            return 0
        plan = Plan.objects.select_related("country").get(pk=pk)
        since = timezone.localdate(all_closed_at).isoformat()
        for s in range(step + 1, target + 1):  # a sweep that missed days still records every step
            if not record_event(f"plan:{pk}:{all_closed_at.timestamp():.0f}:outcome:{s}", _STEP_KIND[s], plan=plan,
                           country=plan.country, detail_code="due", detail_params={"date": since}):
                continue
            notify(
                recipients=chairs_or_above(plan.country.region_id) if s == 1 else eosg_staff(),
                code=notices.OUTCOME_MISSING,
                params={"title": plan.title, "country": str(plan.country), "date": since},
                link=reverse("followup:plan_detail", args=[plan.pk]),
                hold_for_digest=s < 2,
            )
    return target - step
