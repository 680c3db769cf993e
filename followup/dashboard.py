"""The EOSG follow-up dashboard's figures, in a fixed number of queries whatever the data holds.

Every figure is counted, grouped or sliced in the database: 10,000 actions cost the same
queries as 100. The caller passes querysets already scoped through hruf.permissions, so this
module only computes; the view decides who may see the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hruf.models import Country, Entity, Region
from hruf.recipients import chair_roles, officer_roles
from hruf.translated import collation_key
from scans.models import EarlyWarning
from scans.periods import Period
from scans.risk_map import RiskMap, entries_from_statuses, risk_map
from scans.scoring import Tier
from scans.selectors import CountryStatus, country_statuses

from .models import Action, ActionStatus, ClosedActionTally, Plan
from .models.plans import (
    OPEN_STATUSES,
    benchmark_on_time_q,
    benchmark_overdue_q,
    benchmark_pending_q,
    open_q,
    overdue_q,
)

WARNING_TIERS = [Tier.HIGH, Tier.VERY_HIGH]

# Action.overdue_step, as the enforcement ladder sets it (followup.enforcement.ladder_step).
STEP_LABELS = {
    0: _("Not yet escalated"),
    1: _("Owner notified"),
    2: _("Escalated to the regional chair"),
    3: _("Escalated to EOSG"),
}


@dataclass(frozen=True)
class Filters:
    region: Region | None = None
    entity: Entity | None = None
    period: Period | None = None  # actions whose deadline falls in it

    @property
    def active(self) -> bool:
        return bool(self.region or self.entity or self.period)

    def actions(self, actions: QuerySet) -> QuerySet:
        if self.region:
            actions = actions.filter(plan__country__region=self.region)
        if self.entity:
            actions = actions.filter(lead_entity=self.entity)
        if self.period:
            actions = actions.filter(deadline__gte=self.period.start, deadline__lte=self.period.end)
        return actions

    def tally(self, closed: QuerySet) -> QuerySet:
        """The same filters on the closed actions' tally (followup.tally), kept by the month of the deadline."""
        if self.region:
            closed = closed.filter(region=self.region)
        if self.entity:
            closed = closed.filter(lead_entity=self.entity)
        if self.period:  # periods start and end with months
            closed = closed.filter(month__gte=self.period.start, month__lte=self.period.end)
        return closed

    def countries(self, countries: QuerySet) -> QuerySet:
        # Risk and scans belong to countries, not to entities or deadlines: only the region applies.
        return countries.filter(region=self.region) if self.region else countries


# --- actions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    count: int


@dataclass
class ActionFigures:
    by_status: list[Tally]
    total: int
    done: int
    cancelled: int
    overdue: int
    by_step: list[Tally]
    completion_percent: float | None  # done / every action not cancelled
    median_days: float | None  # from creation to completion, over _completions
    timed: int  # the median's population
    median_recent: bool  # the median is over the last MEDIAN_DAYS' completions (else over the period's actions)


def _action_counts(actions: QuerySet, today: dt.date, closed: QuerySet | None) -> list[dict]:
    """Every action count the page shows: rows by lead entity and region (a few dozen), which the
    totals, the status and step counts and both bar charts are summed from. Each extra pass would read
    every action again. Given `closed` (the closed actions' tally, filtered alike), the actions are read
    open only, and the closed ones are counted from the tally: what the page reads no longer grows with
    the years."""
    counts = {f"s_{s}": Count("pk", filter=Q(status=s)) for s in ActionStatus.values}
    counts |= {f"step_{n}": Count("pk", filter=overdue_q(today) & Q(overdue_step=n)) for n in STEP_LABELS}
    rows = list(
        (actions if closed is None else actions.filter(open_q())).order_by()
        .values(
            entity=F("lead_entity_id"), entity_label=F("lead_entity__code"),
            region=F("plan__country__region_id"), region_label=F("plan__country__region__name"),
        )
        .annotate(total=Count("pk"), overdue=Count("pk", filter=overdue_q(today)), **counts)
    )
    if closed is not None:
        zero = dict.fromkeys(_SUMMED, 0)
        rows += [
            {**zero, "entity": r["entity"], "entity_label": r["entity_label"], "region": r["region"],
             "region_label": r["region_label"], "total": r["n"], f"s_{r['status']}": r["n"]}
            for r in closed.order_by()
            .values("status", "region", entity=F("lead_entity_id"), entity_label=F("lead_entity__code"),
                    region_label=F("region__name"))
            .annotate(n=Sum("count"))
        ]
    return rows


# The median time to completion is taken over the actions done in this many days (unless a period is
# chosen, then over its actions): how fast actions are done now, which ten years' median would hide, and a
# read that stays the same size as the years pass.
MEDIAN_DAYS = 365


def _completions(actions: QuerySet, filters: Filters, today: dt.date) -> QuerySet:
    done = actions.filter(status=ActionStatus.DONE, completed_at__isnull=False)
    if filters.period:
        return done
    # From the start of a day in the server's time zone: a bound the index on completed_at can use.
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=MEDIAN_DAYS - 1), dt.time.min))
    return done.filter(completed_at__gte=since)


def _figures_of(rows: list[dict], completions: QuerySet, *, recent: bool) -> ActionFigures:
    row = {key: sum(r[key] for r in rows) for key in _SUMMED}
    done, cancelled = row[f"s_{ActionStatus.DONE}"], row[f"s_{ActionStatus.CANCELLED}"]
    considered = row["total"] - cancelled
    timed = completions.count()
    return ActionFigures(
        by_status=[Tally(s.value, s.label, row[f"s_{s}"]) for s in ActionStatus],
        total=row["total"],
        done=done,
        cancelled=cancelled,
        overdue=row["overdue"],
        by_step=[Tally(str(n), label, row[f"step_{n}"]) for n, label in STEP_LABELS.items()],
        completion_percent=round(100 * done / considered, 1) if considered else None,
        median_days=median_days_to_completion(completions, timed),
        timed=timed,
        median_recent=recent,
    )


_SUMMED = ["total", "overdue", *(f"s_{s}" for s in ActionStatus.values), *(f"step_{n}" for n in STEP_LABELS)]


def median_days_to_completion(actions: QuerySet, count: int) -> float | None:
    """The median of completed_at - created_at over `count` done actions, fetching only the
    middle one or two rows: loading every duration would grow with the data."""
    if not count:
        return None
    middle = (count - 1) // 2
    take = 1 if count % 2 else 2
    durations = list(
        actions.filter(status=ActionStatus.DONE, completed_at__isnull=False)
        .annotate(duration=F("completed_at") - F("created_at"))
        .order_by("duration", "pk")
        .values_list("duration", flat=True)[middle : middle + take]
    )
    days = sum(d.total_seconds() for d in durations) / len(durations) / 86400
    return round(days, 1)


@dataclass(frozen=True)
class GroupRow:
    """One lead entity or region: its actions split the way the bars are drawn."""

    key: int
    label: str
    total: int
    done: int
    on_time: int  # open, deadline not passed
    overdue: int
    cancelled: int


def actions_grouped(actions: QuerySet, today: dt.date, *, by: str, label: str) -> list[GroupRow]:
    """One row per value of `by` (a lead entity, a region): a handful of rows, one query."""
    rows = (
        actions.order_by()
        .values(key=F(by), name=F(label))
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=ActionStatus.DONE)),
            open=Count("pk", filter=open_q()),
            overdue=Count("pk", filter=overdue_q(today)),
            cancelled=Count("pk", filter=Q(status=ActionStatus.CANCELLED)),
        )
        .order_by("-total", "name")
    )
    return [
        GroupRow(
            key=r["key"], label=r["name"], total=r["total"], done=r["done"], on_time=r["open"] - r["overdue"],
            overdue=r["overdue"], cancelled=r["cancelled"],
        )
        for r in rows
    ]


def _region_names() -> dict[int, str]:
    """Each region's name in the reader's language: read apart, since grouping a hundred thousand actions by
    the translations' JSON as well doubles the cost of the count."""
    return {region.pk: str(region) for region in Region.objects.only("pk", "name", "translations")}


def _grouped_of(rows: list[dict], by: str, labels: dict[int, str] | None = None) -> list[GroupRow]:
    """The bars by `by` ("entity" or "region") summed from _action_counts' rows, ordered as
    actions_grouped orders them."""
    sums: dict[int, dict] = {}
    for r in rows:
        label = (labels or {}).get(r[by]) or r[f"{by}_label"]
        g = sums.setdefault(r[by], {"label": label, **dict.fromkeys(_GROUPED, 0)})
        for key in _GROUPED:
            g[key] += r[key]
    groups = [
        GroupRow(
            key=key, label=g["label"], total=g["total"], done=g[f"s_{ActionStatus.DONE}"],
            on_time=sum(g[f"s_{s}"] for s in OPEN_STATUSES) - g["overdue"], overdue=g["overdue"],
            cancelled=g[f"s_{ActionStatus.CANCELLED}"],
        )
        for key, g in sums.items()
    ]
    return sorted(groups, key=lambda g: (-g.total, g.label))


_GROUPED = ["total", "overdue", *(f"s_{s}" for s in ActionStatus.values)]


@dataclass(frozen=True)
class OverdueRow:
    action: Action
    days: int
    step: int

    @property
    def step_label(self) -> str:
        return STEP_LABELS.get(self.step, str(self.step))


def oldest_overdue(actions: QuerySet, today: dt.date, limit: int) -> list[OverdueRow]:
    rows = (
        actions.filter(overdue_q(today))
        .select_related("plan__country", "lead_entity", "owner")
        .order_by("deadline", "pk")[:limit]
    )
    return [OverdueRow(action=a, days=a.days_overdue(today), step=a.overdue_step) for a in rows]


# --- benchmarks ----------------------------------------------------------------------


@dataclass
class BenchmarkFigures:
    rows: list[Tally]
    total: int

    @property
    def on_time_percent(self) -> float | None:
        met = self.rows[0].count + self.rows[1].count
        return round(100 * self.rows[0].count / met, 1) if met else None


def benchmark_figures(benchmarks: QuerySet, today: dt.date, closed: QuerySet | None = None) -> BenchmarkFigures:
    """Met on time (on or before the due date), met late, and pending: past due or not yet.
    Pending and overdue as Benchmark.objects.pending() and overdue(): a closed action's unmet
    benchmark is no longer waited for, so it counts in the total only. Given `closed` (the closed
    actions' tally, filtered alike), `benchmarks` are the open actions' and the closed ones' are summed
    from the tally."""
    # The date of met_at (a time zone conversion per row) is computed once, "late" being the
    # other met ones; the pending rule looks the open actions' ids up for unmet benchmarks only.
    row = benchmarks.aggregate(
        total=Count("pk"),
        met=Count("pk", filter=Q(met_at__isnull=False)),
        on_time=Count("pk", filter=benchmark_on_time_q()),
        past_due=Count("pk", filter=benchmark_overdue_q(today)),
        not_due=Count("pk", filter=benchmark_pending_q() & Q(due_date__gte=today)),
    )
    if closed is not None:
        frozen = closed.aggregate(total=Sum("benchmarks"), met=Sum("benchmarks_met"), on_time=Sum("benchmarks_on_time"))
        for key, value in frozen.items():
            row[key] += value or 0
    row["late"] = row["met"] - row["on_time"]
    labels = {
        "on_time": _("Met on time"),
        "late": _("Met late"),
        "past_due": _("Pending, past due"),
        "not_due": _("Pending, not yet due"),
    }
    return BenchmarkFigures(rows=[Tally(k, v, row[k]) for k, v in labels.items()], total=row["total"])


# --- countries: warnings without response and scan coverage -----------------------


def open_plan_exists() -> Exists:
    """A plan of the outer country with at least one action still planned, in progress or blocked."""
    return Exists(Plan.objects.filter(open_q(through="actions__"), country=OuterRef("pk")))


@dataclass
class CoverageRow:
    region: str
    countries: int = 0
    submitted: int = 0
    draft: int = 0
    not_started: int = 0
    overdue: int = 0

    @property
    def not_due(self) -> int:
        return self.draft + self.not_started

    @property
    def percent(self) -> float | None:
        return round(100 * self.submitted / self.countries, 1) if self.countries else None


def _coverage_of(statuses: list[CountryStatus]) -> list[CoverageRow]:
    """Each region's countries by the state of their current period's scan (monthly under
    enhanced reporting, else quarterly): the same statuses the officers' home page shows."""
    by_region: dict[str, CoverageRow] = {}
    for status in statuses:
        name = str(status.country.region)
        row = by_region.setdefault(name, CoverageRow(region=name))
        row.countries += 1
        setattr(row, status.status, getattr(row, status.status) + 1)
    return sorted(by_region.values(), key=lambda r: collation_key(r.region))


def _warnings_of(statuses: list[CountryStatus]) -> list[Country]:
    """Warnings without response: countries whose latest submitted scan is at high or very high
    risk and that have no open plan, taken from the countries coverage has already read (annotated
    with open_plan), so their latest scores are not read twice. They come ordered by name; a
    stable sort puts the highest score first."""
    warned = [s.country for s in statuses if s.country.last_tier in WARNING_TIERS and not s.country.open_plan]
    return sorted(warned, key=lambda c: (c.last_score is None, -(c.last_score or 0)))


# --- coverage gaps: who would hear about a country ------------------------------------


def staffing() -> dict[str, Exists]:
    """Annotations for countries: whether the country has an active officer and its region an
    active chair (hruf.recipients' own rule), read in the same query as the country itself."""
    return {
        "has_officer": Exists(officer_roles().filter(country=OuterRef("pk"))),
        "region_has_chair": Exists(chair_roles().filter(region=OuterRef("region_id"))),
    }


@dataclass(frozen=True)
class RegionGap:
    region: Region
    countries: list[Country]


@dataclass(frozen=True)
class CoverageGaps:
    """Countries without an active officer (their notices go to the region's chairs, or to EOSG)
    and regions without an active chair (their notices go to EOSG), with the countries in them."""

    countries_without_officer: list[Country]
    regions_without_chair: list[RegionGap]


def _gaps_of(statuses: list[CountryStatus]) -> CoverageGaps:
    """Taken from the countries coverage has already read, annotated with staffing(): no query
    of its own, however many countries there are."""
    countries = [s.country for s in statuses]
    regions: dict[int, RegionGap] = {}
    for c in countries:
        if not c.region_has_chair:
            regions.setdefault(c.region_id, RegionGap(region=c.region, countries=[])).countries.append(c)
    return CoverageGaps(
        countries_without_officer=[c for c in countries if not c.has_officer],
        regions_without_chair=sorted(regions.values(), key=lambda g: collation_key(str(g.region))),
    )


def coverage_total(rows: list[CoverageRow]) -> CoverageRow:
    total = CoverageRow(region=str(_("All regions")))
    for r in rows:
        for name in ("countries", "submitted", "draft", "not_started", "overdue"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    return total


# --- the whole page ------------------------------------------------------------------


@dataclass
class Dashboard:
    today: dt.date
    filters: Filters
    actions: ActionFigures
    by_entity: list[GroupRow]
    by_region: list[GroupRow]
    overdue: list[OverdueRow]
    benchmarks: BenchmarkFigures
    warnings: list[Country]
    coverage: list[CoverageRow]
    coverage_total: CoverageRow
    coverage_gaps: CoverageGaps
    overdue_limit: int
    # The warnings ledger's open warnings, past their deadline and oldest first, at most overdue_limit.
    open_warnings: list[EarlyWarning]
    now: dt.datetime
    statuses: list[CountryStatus] = field(repr=False, default_factory=list)

    @cached_property
    def risk_map(self) -> RiskMap:
        """Drawn when the page shows it (one query, for the open warnings); the API has no use for it."""
        return risk_map(entries_from_statuses(self.statuses), caption=str(_("Risk by country, from each one's last scan")),
                        whole_world=not self.filters.region)


def dashboard_figures(
    *, actions: QuerySet, benchmarks: QuerySet, countries: QuerySet, filters: Filters, today: dt.date
) -> Dashboard:
    """Everything the page shows. `benchmarks` are narrowed to those of the filtered actions. Every action
    in view (EOSG's) counts its closed ones from the tally; a narrower scope counts its own."""
    closed = None if actions.query.where else filters.tally(ClosedActionTally.objects.all())
    actions = filters.actions(actions)
    rows = _action_counts(actions, today, closed)
    statuses = country_statuses(
        filters.countries(countries).annotate(open_plan=open_plan_exists(), **staffing()), today
    )
    coverage = _coverage_of(statuses)
    if closed is not None:  # the closed actions' benchmarks are in the tally
        benchmarks = benchmarks.filter(action_id__in=actions.filter(open_q()).values("pk"))
    elif actions.query.where:  # every action's benchmarks need no narrowing (nor the join it costs)
        benchmarks = benchmarks.filter(action__in=actions.values("pk"))
    return Dashboard(
        today=today,
        filters=filters,
        actions=_figures_of(rows, _completions(actions, filters, today), recent=not filters.period),
        by_entity=_grouped_of(rows, "entity"),
        by_region=_grouped_of(rows, "region", _region_names()),
        overdue=oldest_overdue(actions, today, limit=settings.DASHBOARD_OVERDUE_LIMIT),
        benchmarks=benchmark_figures(benchmarks, today, closed),
        warnings=_warnings_of(statuses),
        coverage=coverage,
        coverage_total=coverage_total(coverage),
        coverage_gaps=_gaps_of(statuses),
        overdue_limit=settings.DASHBOARD_OVERDUE_LIMIT,
        open_warnings=list(
            EarlyWarning.objects.open().filter(country__in=filters.countries(countries))
            .select_related("country__region").for_attention()[: settings.DASHBOARD_OVERDUE_LIMIT]
        ),
        now=timezone.now(),
        statuses=statuses,
    )
