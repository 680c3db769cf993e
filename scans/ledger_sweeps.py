"""The warnings ledger's sweeps: chase what nobody acknowledged, and notice who went silent.

As with follow-up's sweeps (followup/enforcement.py): each picks due rows through indexed columns
and handles each in its own transaction; a compare-and-set claims the row, a step with a unique
key records what was done, and the notifications are written beside it (the outbox). Two sweeps
at once, a duplicate beat or a worker killed half-way neither repeat a step nor lose one; a row
that fails is logged, counted and left for the next run (hruf.sweeps).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from hruf.action_rules import open_action_q
from hruf.concurrency import compare_and_set
from hruf.models import Country
from hruf.notifications import notify
from hruf.recipients import eosg_staff, sag_or_above
from hruf.sweeps import SweepResult, sweep_rows

from . import notices
from .ledger import ack_deadline, acknowledgers, link_of, step_add, warning_for_silence
from .models import EarlyWarning, Scan, WarningStep
from .periods import current_period, is_period_of, previous_period
from .scoring import TIER_ORDER, Tier

Severity = EarlyWarning.Severity


def ladder_target(severity: str, act_by: dt.datetime, now: dt.datetime) -> int:
    """0 before the deadline; 1 past it (EOSG); 2 past twice the time, for an imminent alert (the SAG)."""
    if now < act_by:
        return 0
    twice = act_by + ack_deadline(severity)  # an unknown severity (bad data) fails here, for this row only
    return 2 if severity == Severity.IMMINENT and now >= twice else 1


def sweep_unacknowledged(*, now: dt.datetime | None = None) -> SweepResult:
    """Every warning past its acknowledgement deadline climbs to the step its age calls for."""
    now = now or timezone.now()
    due = Q(ladder_step=0) | Q(ladder_step=1, severity=Severity.IMMINENT)
    rows = EarlyWarning.objects.past_deadline(now).filter(due).values_list("pk", "ladder_step", "act_by", "severity")
    return sweep_rows(
        "unacknowledged warnings", rows, lambda row: _chase(row[0], row[1], row[2], ladder_target(row[3], row[2], now), now),
        row_id=lambda row: f"warning {row[0]}",
    )


def _chase(pk: int, step: int, act_by: dt.datetime, target: int, now: dt.datetime) -> int:
    if target <= step:
        return 0
    with transaction.atomic():
        # The claim, on the deadline as read: an acknowledgement meanwhile takes the row out.
        if not compare_and_set(EarlyWarning.objects.unacknowledged(), pk=pk,
                               expected={"ladder_step": step, "act_by": act_by}, new={"ladder_step": target}):
            return 0
        warning = EarlyWarning.objects.select_related("country").get(pk=pk)
        for n in range(step + 1, target + 1):
            if not step_add(warning, WarningStep.Kind.CHASED, key=f"warning:{pk}:chase:{n}",
                            actor=None, at=now, detail="chase", params={"n": n}):
                continue
            recipients = [*acknowledgers(warning), *eosg_staff()] if n == 1 else sag_or_above()
            notify(
                recipients=recipients, code=notices.WARNING_UNACKNOWLEDGED,
                params={"country": str(warning.country), "kind": warning.kind, "severity": warning.severity,
                        "raised": timezone.localtime(warning.raised_at).strftime("%Y-%m-%d %H:%M"), "step": n},
                link=link_of(warning), hold_for_digest=False,
            )
    return target - step


def silent_countries(today: dt.date) -> list[tuple[Country, str, str]]:
    """(country, period code, last tier) for each country at high tier or above, or with open
    follow-up actions, whose scan of a period after its last one (this period or the one before)
    is overdue by more than the grace days and not yet a warning: information that stops is
    itself a sign. A gap before the last scan is history, not silence."""
    high = [str(t) for t in TIER_ORDER[TIER_ORDER.index(Tier.HIGH):]]
    last = Scan.objects.submitted().filter(country=OuterRef("pk")).order_by("-period_start")
    open_actions = Exists(Country.objects.filter(open_action_q("plans__actions__"), pk=OuterRef("pk")))
    countries = Country.objects.annotate(
        last_tier=Subquery(last.values("submitted_revision__tier")[:1]),
        last_start=Subquery(last.values("period_start")[:1]),
        acting=open_actions,
    ).filter(Q(last_tier__in=high) | Q(acting=True))
    grace = dt.timedelta(days=settings.SILENCE_GRACE_DAYS)
    candidates = []
    for country in countries:
        current = current_period(country, today)
        # The periods the scans-due sweep holds the country to (none backdated by enhanced reporting).
        candidates += [
            (country, p) for p in (previous_period(country, current), current)
            if is_period_of(country, p, today) and p.due_date + grace < today
            and (country.last_start is None or p.start > country.last_start)
        ]
    codes = {p.code for _c, p in candidates}
    answered = set(Scan.objects.submitted().filter(period__in=codes).values_list("country_id", "period"))
    answered |= set(EarlyWarning.objects.filter(kind=EarlyWarning.Kind.SILENCE, period__in=codes)
                    .values_list("country_id", "period"))
    return [(c, p.code, c.last_tier or "") for c, p in candidates if (c.pk, p.code) not in answered]


def sweep_silence(*, now: dt.datetime | None = None) -> SweepResult:
    """Raise a silence warning for each country that stopped reporting (once per period)."""
    now = now or timezone.now()
    return sweep_rows(
        "silent countries", silent_countries(timezone.localdate(now)),
        lambda row: int(warning_for_silence(country=row[0], period=row[1], tier=row[2], now=now) is not None),
        row_id=lambda row: f"country {row[0].pk} {row[1]}",
    )
