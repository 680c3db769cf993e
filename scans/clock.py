"""The warning-to-response clock: how long warnings wait between raised and each later step.

For the warnings raised in a chosen period (and visible to the reader: the caller scopes the
queryset through hruf.permissions), each stage's time is the first step of that kind on the
warning's timeline less `raised_at`. A warning that has not reached a stage is left out of that
stage's figures (its `count` says how many reached it). Median and 90th percentile are
nearest-rank: the value at rank ceil(p/100 * n) of the n sorted durations, so each figure is a
duration that one warning actually took (the median of two is the shorter one).

The gap list: warnings raised more than N days before `now` (WARNING_GAP_DAYS, or the caller's
N) that by `now` are not closed and have no "decided" and no "plan adopted" step, oldest first,
whatever period was chosen: the gap is about today (a past month's end for its briefing).

Both cost a fixed number of queries: one reads every warning's first step times (a conditional
Min per stage, grouped by warning), then Python sorts; percentiles are not portable SQL.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hruf.models import Region

from .models import EarlyWarning, WarningStep
from .periods import Period

Step = WarningStep.Kind
STAGES = [
    (Step.ACKNOWLEDGED, _("Acknowledged")),
    (Step.ON_AGENDA, _("On an agenda")),
    (Step.DECIDED, _("Decided")),
    (Step.PLAN_ADOPTED, _("Plan adopted")),
    (Step.FIRST_ACTION_DONE, _("First action done")),
]
GROUPINGS = [("region", _("Region")), ("kind", _("Kind")), ("severity", _("Severity"))]


def nearest_rank(sorted_values: list[float], percent: int) -> float | None:
    if not sorted_values:
        return None
    return sorted_values[max(1, math.ceil(percent / 100 * len(sorted_values))) - 1]


@dataclass(frozen=True)
class StageFigures:
    stage: str
    label: str
    count: int  # warnings that reached it
    median: dt.timedelta | None
    p90: dt.timedelta | None

    @classmethod
    def of(cls, stage: str, label: str, seconds: Iterable[float]) -> StageFigures:
        values = sorted(seconds)
        median, p90 = nearest_rank(values, 50), nearest_rank(values, 90)
        return cls(
            stage=stage, label=label, count=len(values),
            median=None if median is None else dt.timedelta(seconds=median),
            p90=None if p90 is None else dt.timedelta(seconds=p90),
        )


@dataclass(frozen=True)
class GroupFigures:
    key: str
    label: str
    warnings: int
    stages: list[StageFigures]


@dataclass(frozen=True)
class Grouping:
    by: str
    label: str
    groups: list[GroupFigures]


@dataclass(frozen=True)
class GapRow:
    warning: EarlyWarning
    days_open: int


@dataclass
class Clock:
    period: Period | None  # None: every warning ever raised
    warnings: int  # raised in the period
    stages: list[StageFigures]
    groupings: list[Grouping]
    gap_days: int
    gap_count: int
    gap: list[GapRow]  # the oldest gap_limit of gap_count


def in_period(warnings: QuerySet, period: Period | None) -> QuerySet:
    if period is None:
        return warnings
    return warnings.filter(raised_at__date__gte=period.start, raised_at__date__lte=period.end)


def _first_steps(warnings: QuerySet) -> list[dict]:
    """One row per warning: its raised_at, groups and the first time of each stage (or None)."""
    firsts = {f"t_{kind}": Min("steps__at", filter=Q(steps__kind=kind)) for kind, _label in STAGES}
    return list(
        warnings.order_by()
        .values("pk", "raised_at", "kind", "severity", region=F("country__region__name"))
        .annotate(**firsts)
    )


def _stages_of(rows: list[dict]) -> list[StageFigures]:
    return [
        StageFigures.of(kind, str(label), ((r[f"t_{kind}"] - r["raised_at"]).total_seconds() for r in rows if r[f"t_{kind}"]))
        for kind, label in STAGES
    ]


def _grouped(rows: list[dict], by: str) -> list[GroupFigures]:
    labels: dict[str, Any] = {"kind": dict(EarlyWarning.Kind.choices),
                              "severity": dict(EarlyWarning.Severity.choices)}.get(by, {})
    order = list(labels) if labels else None
    if by == "region":
        # Read apart: grouping each warning by its region's translations (JSON) as well costs more than this query.
        labels = {region.name: str(region) for region in Region.objects.only("name", "translations")}
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r[by], []).append(r)
    keys = sorted(groups, key=lambda k: order.index(k) if order else k)
    return [GroupFigures(key=k, label=str(labels.get(k, k)), warnings=len(groups[k]), stages=_stages_of(groups[k])) for k in keys]


def gap_q(now: dt.datetime) -> Q:
    """Neither closed nor decided nor given a plan by `now` (a past month's end for its briefing)."""
    answered = WarningStep.objects.filter(warning=OuterRef("pk"), kind__in=[Step.DECIDED, Step.PLAN_ADOPTED], at__lte=now)
    return ~Q(closed_at__lte=now) & ~Q(Exists(answered))


def response_gap(warnings: QuerySet, *, now: dt.datetime, days: int) -> QuerySet:
    """Warnings older than `days` at `now` with no decision nor plan and not closed, oldest first."""
    return warnings.filter(gap_q(now), raised_at__lt=now - dt.timedelta(days=days)).order_by("raised_at", "pk")


def clock_figures(*, warnings: QuerySet, period: Period | None, now: dt.datetime, gap_days: int, gap_limit: int) -> Clock:
    """`warnings` already scoped to the reader; four queries whatever their number."""
    rows = _first_steps(in_period(warnings, period))
    gap = response_gap(warnings, now=now, days=gap_days)
    return Clock(
        period=period,
        warnings=len(rows),
        stages=_stages_of(rows),
        groupings=[Grouping(by=by, label=str(label), groups=_grouped(rows, by)) for by, label in GROUPINGS],
        gap_days=gap_days,
        gap_count=gap.count(),
        gap=[GapRow(w, (now - w.raised_at).days) for w in gap.select_related("country")[:gap_limit]],
    )


def duration_text(value: dt.timedelta | None) -> str:
    """Hours under two days ("2.5 h"), days beyond ("3.2 d"); a dash when there is none."""
    if value is None:
        return "—"
    hours = value.total_seconds() / 3600
    if hours < 48:
        return gettext("%(n)s h") % {"n": f"{hours:.1f}".removesuffix(".0")}
    return gettext("%(n)s d") % {"n": f"{hours / 24:.1f}".removesuffix(".0")}


def hours(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)
