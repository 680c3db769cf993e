"""Reads for the scan pages: a fixed number of queries whatever the history holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from hruf.models import Country
from hruf.permissions import can_see_any_restricted, can_see_restricted, evidence_files_visible_to

from .models import Alert, EvidenceFile, ExternalRiskScore, Rating, Scan, ScanRevision
from .periods import Period, current_period
from .scoring import RatingInput


def ordered_ratings(revision_ids) -> QuerySet:
    """Ratings in matrix order, case-specific indicators last, with what the page shows of each."""
    return (
        Rating.objects.filter(revision_id__in=revision_ids)
        .select_related("indicator", "case_indicator")
        .prefetch_related("indicator__risk_factors")
        .order_by("revision_id", F("case_indicator_id").asc(nulls_first=True), "indicator__position")
    )


def rating_inputs(ratings) -> list[RatingInput]:
    return [RatingInput(key=r.key, label=r.label, rating=r.rating, trend=r.trend) for r in ratings]


def previous_submitted(scan: Scan) -> ScanRevision | None:
    """The submitted revision of the country's last scan before this one."""
    return (
        ScanRevision.objects.filter(
            pk__in=Scan.objects.submitted()
            .filter(country_id=scan.country_id, period_start__lt=scan.period_start)
            .values("submitted_revision")
        )
        .select_related("scan")
        .order_by("-scan__period_start")
        .first()
    )


def _latest_submitted(offset: int, field: str) -> Subquery:
    latest = (
        Scan.objects.submitted()
        .filter(country=OuterRef("pk"))
        .order_by("-period_start")
        .values(f"submitted_revision__{field}")[offset : offset + 1]
    )
    return Subquery(latest)


def with_latest_scores(countries: QuerySet) -> QuerySet:
    """Annotate countries with their last submitted score, tier and period, and the score before it."""
    return countries.select_related("region").annotate(
        last_score=_latest_submitted(0, "score"),
        last_tier=_latest_submitted(0, "tier"),
        last_period=_latest_submitted(0, "scan__period"),
        last_worsening=_latest_submitted(0, "worsening"),
        previous_score=_latest_submitted(1, "score"),
    ).annotate(score_change=F("last_score") - F("previous_score"))


def latest_revision_ids(country_ids) -> dict[int, int]:
    """Each country's last submitted revision, by country id (countries without one left out). One query."""
    rows = Country.objects.filter(pk__in=country_ids).annotate(revision=_latest_submitted(0, "id"))
    return {pk: revision for pk, revision in rows.values_list("pk", "revision") if revision is not None}


def latest_score(country_id: int) -> tuple[int | None, str]:
    """The country's last submitted score and tier now ((None, "") before its first scan): what a
    plan records at adoption and at closing."""
    row = (Scan.objects.submitted().filter(country_id=country_id).order_by("-period_start")
           .values_list("submitted_revision__score", "submitted_revision__tier").first())
    return row if row is not None else (None, "")


@dataclass(frozen=True)
class ExternalRisk:
    """A country's latest external risk score: context shown beside our score, never part of it."""

    risk: Decimal
    rank: int | None
    source: str
    source_url: str
    as_of: dt.date

    @property
    def percent(self) -> Decimal:
        return (self.risk * 100).quantize(Decimal("0.1"))


_EXTERNAL_FIELDS = {
    "risk": "risk", "rank": "rank", "source": "snapshot__source", "source_url": "snapshot__source_url",
    "as_of": "snapshot__as_of_date",
}


def with_external_risk(countries: QuerySet, as_of: dt.date | None = None) -> QuerySet:
    """Annotate countries with their latest external risk score (on or before `as_of`), its rank,
    source and date: subqueries on the same query, so no query per row. Read it with external_risk_of."""
    latest = ExternalRiskScore.objects.filter(country=OuterRef("pk")).order_by(
        "-snapshot__as_of_date", "-snapshot__imported_at", "-snapshot_id"
    )
    if as_of is not None:
        latest = latest.filter(snapshot__as_of_date__lte=as_of)
    return countries.annotate(
        **{f"external_{name}": Subquery(latest.values(path)[:1]) for name, path in _EXTERNAL_FIELDS.items()}
    )


def external_risk_of(country: Country) -> ExternalRisk | None:
    if getattr(country, "external_risk", None) is None:
        return None
    return ExternalRisk(**{name: getattr(country, f"external_{name}") for name in _EXTERNAL_FIELDS})


STATUS_LABELS = {
    "not_started": _("Not started"),
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "overdue": _("Overdue"),
}


@dataclass
class CountryStatus:
    country: Country
    period: Period
    scan: Scan | None
    status: str  # not_started, draft, submitted, overdue
    draft: ScanRevision | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])



def country_statuses(countries: QuerySet, today: dt.date) -> list[CountryStatus]:
    """Each country with the state of its current period's scan (three queries in all)."""
    listed = list(with_latest_scores(countries))
    periods = {c.pk: current_period(c, today) for c in listed}
    scans = {
        s.country_id: s
        for s in Scan.objects.filter(
            country__in=listed, period__in={p.code for p in periods.values()}
        ).prefetch_related(Prefetch("revisions", ScanRevision.objects.drafts(), to_attr="drafts"))
        if s.period == periods[s.country_id].code
    }
    rows = []
    for c in listed:
        period, scan = periods[c.pk], scans.get(c.pk)
        draft = scan.drafts[0] if scan is not None and scan.drafts else None
        if scan is not None and scan.is_submitted:
            status = "submitted"
        elif today > period.due_date:
            status = "overdue"
        elif scan is not None:
            status = "draft"
        else:
            status = "not_started"
        rows.append(CountryStatus(country=c, period=period, scan=scan, status=status, draft=draft))
    return rows


@dataclass
class TimelineRow:
    key: str
    label: str
    cells: list[int | None]


def country_timeline(scans: list[Scan]) -> list[TimelineRow]:
    """Each indicator's submitted rating over the given scans (oldest first), in one query."""
    revision_ids = [s.submitted_revision_id for s in scans if s.submitted_revision_id]
    by_revision: dict[int, dict[str, int | None]] = {}
    labels: dict[str, str] = {}
    order: dict[str, tuple] = {}
    for r in Rating.objects.filter(revision_id__in=revision_ids).select_related("indicator", "case_indicator"):
        by_revision.setdefault(r.revision_id, {})[r.key] = r.rating
        labels.setdefault(r.key, r.label)
        order.setdefault(r.key, (1, r.case_indicator_id, 0) if r.indicator is None else (0, 0, r.indicator.position))
    return [
        TimelineRow(key=k, label=labels[k], cells=[by_revision.get(s.submitted_revision_id or 0, {}).get(k) for s in scans])
        for k in sorted(labels, key=lambda k: order[k])
    ]


# --- restricted evidence, as one reader may read it ------------------------------------
# The one home of the redaction rule (DOMAIN.md: restricted evidence is read only by the country's
# officers, its region's chairs and EOSG). Pages, the API and the exports read ratings and alerts
# through these selectors, so a text the reader may not read is blanked before it reaches a
# template, a serializer or an export row, and the audit is told how many restricted texts were
# left readable. A blanked object is for reading only: never save it.


class EvidenceReader:
    """Whether one reader may read the restricted evidence of a country, asked once per country.

    `user=None` reads for an audience rather than a person (a briefing pack): no restricted text.
    `asked=False` leaves every restricted text out even where the reader may read it (an export
    made without "include restricted evidence").
    """

    def __init__(self, user, *, asked: bool = True):
        self.user = user
        self.open = asked and user is not None and can_see_any_restricted(user)
        self._by_country: dict[int, bool] = {}

    def may_read(self, country_id: int, region_id: int | None) -> bool:
        if not self.open or region_id is None:  # a country of unknown region: withhold
            return False
        if country_id not in self._by_country:
            # An unsaved Country carries the two ids the predicate reads: no query per row.
            country = Country(pk=country_id, region_id=region_id)
            self._by_country[country_id] = can_see_restricted(self.user, country)
        return self._by_country[country_id]

    def shows(self, *, restricted: bool, country_id: int, region_id: int | None) -> bool:
        """Whether a piece of evidence goes out to this reader (unrestricted evidence always does)."""
        return not restricted or self.may_read(country_id, region_id)


@dataclass
class Redacted:
    """Objects as one reader may read them, and those whose restricted text was left readable."""

    items: list
    restricted_read: list = field(default_factory=list)

    @property
    def restricted_shown(self) -> int:
        """How many restricted texts this reader was shown: what the audit of restricted reads records."""
        return len(self.restricted_read)


def _redact(redacted: Redacted, obj, *, restricted: bool, shown: bool) -> None:
    # Every object that passed through here carries evidence_withheld: templates and serializers
    # read the flag, and a serializer that meets an object without it fails instead of leaking.
    obj.evidence_withheld = not shown
    if not shown:
        obj.evidence = ""
    elif restricted and obj.evidence:
        redacted.restricted_read.append(obj)
    redacted.items.append(obj)


def ratings_read_by(user, revision_ids) -> dict[int, Redacted]:
    """The ratings of these revisions in matrix order (ordered_ratings), as the user may read them,
    grouped by revision (every asked revision has an entry). One query."""
    reader = EvidenceReader(user)
    wanted = [pk for pk in revision_ids if pk is not None]
    by_revision = {pk: Redacted(items=[]) for pk in wanted}
    rows = ordered_ratings(wanted).annotate(
        evidence_country_id=F("revision__scan__country_id"), evidence_region_id=F("revision__scan__country__region_id")
    )
    for rating in rows:
        shown = reader.shows(
            restricted=rating.restricted, country_id=rating.evidence_country_id, region_id=rating.evidence_region_id
        )
        _redact(by_revision[rating.revision_id], rating, restricted=rating.restricted, shown=shown)
    return by_revision


def alerts_read_by(user, alerts) -> Redacted:
    """These alerts (a queryset, evaluated here, or a page of them) as the user may read them.
    `user=None` for an audience (briefing packs): every restricted text is blanked."""
    alerts = list(alerts)
    reader = EvidenceReader(user)
    regions = {a.country_id: a.country.region_id for a in alerts if Alert.country.is_cached(a)}
    missing = {a.country_id for a in alerts} - set(regions)
    if missing and reader.open:  # one query, only when the caller did not load the countries
        regions.update(Country.objects.filter(pk__in=missing).values_list("pk", "region_id"))
    redacted = Redacted(items=[])
    for alert in alerts:
        shown = reader.shows(
            restricted=alert.evidence_restricted, country_id=alert.country_id, region_id=regions.get(alert.country_id)
        )
        _redact(redacted, alert, restricted=alert.evidence_restricted, shown=shown)
    return redacted


def evidence_files_by(user, *, ratings=(), alerts=()) -> dict[tuple[str, int], list]:
    """The evidence files this reader may read, of these ratings and alerts, keyed ("rating", id) or
    ("alert", id). One query."""
    rating_ids, alert_ids = [r.pk for r in ratings], [a.pk for a in alerts]
    files = evidence_files_visible_to(
        user, EvidenceFile.objects.filter(Q(rating_id__in=rating_ids) | Q(alert_id__in=alert_ids)))
    grouped: dict[tuple[str, int], list] = {}
    for f in files:
        key = ("rating", f.rating_id) if f.rating_id else ("alert", f.alert_id)
        grouped.setdefault(key, []).append(f)
    return grouped
