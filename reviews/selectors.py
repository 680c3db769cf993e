"""Reads for reviews: a region's countries with their risk as of a quarter, in one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hruf.action_rules import open_action_q, overdue_action_q
from hruf.country_names import name_in
from hruf.models import Country, User
from hruf.permissions import actions_visible_to, actions_visible_to_audience
from scans.models import Alert, EarlyWarning, Scan
from scans.periods import Period
from scans.risk_map import MapEntry, RiskMap, risk_map
from scans.selectors import ExternalRisk, alerts_read_by, external_risk_of, with_external_risk

from .models import AgendaItem, Commitment, Meeting, WarningDeferral, without_records
from .models.commitments import CommitmentQuerySet
from .ranking import CountryRisk


def _latest(as_of: dt.date, offset: int, field: str) -> Subquery:
    return Subquery(
        Scan.objects.submitted()
        .filter(country=OuterRef("pk"), period_start__lte=as_of)
        .order_by("-period_start")
        .values(field)[offset : offset + 1]
    )


def overdue_as_of(quarter: Period, today: dt.date) -> dt.date:
    """The day a ranking counts overdue actions on: the quarter's last day, or today if earlier."""
    return min(quarter.end, today)


def _action_count(condition: Q) -> Subquery:
    return Subquery(
        Country.objects.filter(pk=OuterRef("pk"))
        .annotate(n=Count("plans__actions", filter=condition))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def risks(countries: QuerySet, quarter: Period, alerts_since: dt.datetime) -> list[CountryRisk]:
    """Each country's latest submitted scan up to the quarter's end, the one before, recent alerts,
    its open warnings (now: they wait for this review), and its follow-up actions open now and
    overdue as of the quarter (overdue_as_of)."""
    as_of = overdue_as_of(quarter, timezone.localdate())
    alerts = (
        Alert.objects.filter(country=OuterRef("pk"), raised_at__gte=alerts_since)
        .order_by()
        .values("country")
        .annotate(n=Count("pk"))
        .values("n")
    )
    open_warnings = (
        EarlyWarning.objects.for_regional_review().filter(country=OuterRef("pk"))
        .order_by().values("country").annotate(n=Count("pk")).values("n")
    )
    rows = countries.annotate(
        score=_latest(quarter.end, 0, "submitted_revision__score"),
        tier=_latest(quarter.end, 0, "submitted_revision__tier"),
        worsening=_latest(quarter.end, 0, "submitted_revision__worsening"),
        revision_id=_latest(quarter.end, 0, "submitted_revision_id"),
        period=_latest(quarter.end, 0, "period"),
        period_start=_latest(quarter.end, 0, "period_start"),
        previous_score=_latest(quarter.end, 1, "submitted_revision__score"),
        alert_count=Coalesce(Subquery(alerts, output_field=IntegerField()), Value(0)),
        open_actions=_action_count(open_action_q("plans__actions__")),
        overdue_actions=_action_count(overdue_action_q(as_of, "plans__actions__")),
        warning_count=Coalesce(Subquery(open_warnings, output_field=IntegerField()), Value(0)),
    ).order_by("name")
    monitored = monitored_by_review(countries)
    return [
        CountryRisk(
            country_id=c.pk,
            name=c.name,
            score=c.score,
            tier=c.tier or "",
            previous_score=c.previous_score,
            worsening=c.worsening or 0,
            alerts=c.alert_count,
            missing=c.period_start is None or c.period_start < quarter.start,
            enhanced=c.enhanced_reporting,
            period=c.period or "",
            revision_id=c.revision_id,
            open_actions=c.open_actions or 0,
            overdue_actions=c.overdue_actions or 0,
            warnings=c.warning_count,
            monitored_at=monitored.get(c.pk),
        )
        for c in rows
    ]


def monitored_by_review(countries: QuerySet) -> dict[int, dict]:
    """Country id -> the title parameters of the regional review whose commitment to keep monitoring it
    is still open (the latest, if several): the next review proposes it. One query."""
    open_ = (
        Commitment.objects.open().filter(kind=Commitment.Kind.MONITOR, item__meeting__kind=Meeting.Kind.RQR,
                                         item__country__in=countries)
        .select_related("item__meeting__region").defer(*without_records(item="item__", meeting="item__meeting__"))
        .order_by("created_at", "pk")
    )
    return {c.item.country_id: c.item.meeting.title_params() for c in open_}


def external_risk_by_country(country_ids, as_of: dt.date) -> dict[int, ExternalRisk]:
    """Each country's latest external risk score dated on or before `as_of`, in one query. Shown
    beside the scores as context; ranking.py never sees it, so it cannot move a country's rank."""
    countries = with_external_risk(Country.objects.filter(pk__in=set(country_ids)), as_of=as_of).order_by()
    return {c.pk: risk for c in countries if (risk := external_risk_of(c)) is not None}


def alerts_since_for(meeting: Meeting) -> dt.datetime:
    """Alerts count from the region's previous review, or from the start of the quarter."""
    quarter = Period.parse(meeting.quarter)
    previous = (
        Meeting.objects.rqr()
        .filter(region_id=meeting.region_id, date__lt=meeting.date)
        .exclude(pk=meeting.pk)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    start = previous or quarter.start
    return dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)


def region_risks(meeting: Meeting) -> list[CountryRisk]:
    if meeting.region_id is None:  # a SAG meeting has no region to rank
        return []
    return risks(Country.objects.filter(region_id=meeting.region_id), Period.parse(meeting.quarter), alerts_since_for(meeting))


def sag_candidates(user) -> tuple[QuerySet, list[Alert]]:
    """Escalated RQR items (and SAG items kept under monitoring) and alerts flagged for the SAG that no
    SAG agenda has taken yet, the
    alerts as the user may read them (alerts_read_by; the list shows no evidence, so no audit)."""
    items = (
        AgendaItem.objects.for_sag()
        .filter(sag_items__isnull=True)
        .select_related("country", "meeting__region", "recorded_by")
        .defer(*without_records(item="", meeting="meeting__"))
        .order_by("recorded_at")
    )
    alerts = (
        Alert.objects.flagged_for_sag()
        .filter(sag_items__isnull=True)
        .select_related("country", "sag_flagged_by")
        .order_by("sag_flagged_at")
    )
    return items, alerts_read_by(user, alerts).items


@dataclass
class CountryActions:
    """A country's open follow-up actions as a pack shows them: the first few, and how many in all."""

    shown: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


def open_actions_by_country(
    *, country_ids, reader: User | None, as_of: dt.date, limit: int | None
) -> dict[int, CountryActions]:
    """The open follow-up actions of these countries that the reader may see, most urgent (earliest
    deadline) first, at most `limit` a country, in one query; each carries `overdue` as of `as_of`.
    `reader` None is a stored pack's whole audience (hruf.permissions.actions_visible_to_audience).
    Read through Country's reverse relations: follow-up is the layer above and is not imported."""
    action_model = Country.plans.rel.related_model.actions.rel.related_model  # type: ignore[union-attr]
    open_ = action_model.objects.filter(open_action_q(), plan__country_id__in=country_ids)
    visible = actions_visible_to(reader, open_) if reader is not None else actions_visible_to_audience(open_)
    by_country = F("plan__country_id")
    rows = action_model.objects.filter(pk__in=visible.values("pk")).annotate(
        rank=Window(RowNumber(), partition_by=by_country, order_by=[F("deadline").asc(), F("pk").asc()]),
        of_country=Window(Count("pk"), partition_by=by_country),
        overdue=ExpressionWrapper(overdue_action_q(as_of), output_field=BooleanField()),
    )
    if limit is not None:
        # A big country has hundreds of open actions: the database cuts them, not the page.
        rows = rows.filter(rank__lte=limit)
    grouped: dict[int, CountryActions] = {}
    for action in rows.select_related("lead_entity", "plan").order_by("deadline", "pk"):
        group = grouped.setdefault(action.plan.country_id, CountryActions(total=action.of_country))
        group.shown.append(action)
    return grouped


@dataclass
class ReviewWarning:
    """An open warning of an RQR's region as the review sees it."""

    warning: EarlyWarning
    new: bool  # raised since the review was opened
    on_agenda: bool  # its country is on the agenda
    deferral: WarningDeferral | None  # deferred at this review, with the chair's reason

    @property
    def answered(self) -> bool:
        return self.on_agenda or self.deferral is not None


def review_warnings(meeting: Meeting, on_agenda: set[int]) -> list[ReviewWarning]:
    """The open warnings of an RQR's region as they stand now, those raised after the review was
    opened too: proposals stay live until publication. Two queries."""
    if meeting.region_id is None:
        return []
    rows = list(
        EarlyWarning.objects.for_regional_review().in_region(meeting.region_id)
        .select_related("country").order_by("country__name", "raised_at", "pk")
    )
    deferrals = {d.warning_id: d for d in WarningDeferral.objects.filter(meeting=meeting, warning__in=rows)
                 .select_related("deferred_by")}
    return [
        ReviewWarning(warning=w, new=w.raised_at > meeting.created_at, on_agenda=w.country_id in on_agenda,
                      deferral=deferrals.get(w.pk))
        for w in rows
    ]


# --- commitments -----------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentTally:
    kind: str
    label: str
    open: int
    overdue: int  # open and past due: their ladder has told someone
    on_time: int  # fulfilled by the due date
    late: int  # fulfilled after it


@dataclass
class CommitmentFigures:
    by_kind: list[CommitmentTally]
    missed: list[Commitment]  # open past their due date, longest overdue first, at most `limit`
    limit: int
    now: dt.datetime


def commitment_figures(*, commitments: CommitmentQuerySet, now: dt.datetime, limit: int) -> CommitmentFigures:
    """Counts by kind and the longest-missed open commitments of these (already scoped) commitments, in
    two queries whatever their number. Superseded ones are history: not counted."""
    counted = commitments.exclude(state=Commitment.State.SUPERSEDED).order_by()
    fulfilled = Q(state=Commitment.State.FULFILLED)
    rows = {
        r["kind"]: r
        for r in counted.values("kind").annotate(
            open=Count("pk", filter=Q(state=Commitment.State.OPEN)),
            overdue=Count("pk", filter=Q(state=Commitment.State.OPEN, due_at__lte=now)),
            on_time=Count("pk", filter=fulfilled & Q(fulfilled_at__lte=F("due_at"))),
            late=Count("pk", filter=fulfilled & Q(fulfilled_at__gt=F("due_at"))),
        )
    }
    empty = {"open": 0, "overdue": 0, "on_time": 0, "late": 0}
    by_kind = [CommitmentTally(kind=k.value, label=str(k.label), **{n: rows.get(k.value, empty)[n] for n in empty})
               for k in Commitment.Kind]
    missed = list(
        commitments.overdue(now).select_related("item__country", "item__meeting__region")
        .defer(*without_records(item="item__", meeting="item__meeting__")).order_by("due_at", "pk")[:limit]
    )
    return CommitmentFigures(by_kind=by_kind, missed=missed, limit=limit, now=now)


def region_map(rows: list[dict], *, caption: str) -> RiskMap:
    """An RQR's region on a map, from its ranked rows (live) or its frozen snapshot: the map says
    what the table beside it says. One query, for the countries' codes (a frozen row has none)."""
    codes = dict(Country.objects.filter(pk__in=[r["country_id"] for r in rows]).values_list("pk", "iso3"))
    entries = [
        MapEntry(
            iso3=codes[r["country_id"]], name=name_in(codes[r["country_id"]], r["name"]), tier=r["tier"] or "", change=r["change"],
            open_warnings=r.get("warnings") or 0, scan_missing=bool(r["missing"]),
            scan_label=str(_("No scan for the quarter") if r["missing"] else _("Submitted")),
        )
        for r in rows
        if r["country_id"] in codes
    ]
    return risk_map(entries, caption=caption, whole_world=False, dom_id="region-map")
