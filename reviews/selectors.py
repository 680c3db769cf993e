"""Reads for reviews: a region's countries with their risk as of a quarter, in one query."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from hruf.models import Country
from scans.models import Alert, Scan
from scans.periods import Period

from .models import AgendaItem, Meeting
from .ranking import CountryRisk


def _latest(as_of: dt.date, offset: int, field: str) -> Subquery:
    return Subquery(
        Scan.objects.submitted()
        .filter(country=OuterRef("pk"), period_start__lte=as_of)
        .order_by("-period_start")
        .values(field)[offset : offset + 1]
    )


def risks(countries: QuerySet, quarter: Period, alerts_since: dt.datetime) -> list[CountryRisk]:
    """Each country's latest submitted scan up to the quarter's end, the one before, and recent alerts."""
    alerts = (
        Alert.objects.filter(country=OuterRef("pk"), raised_at__gte=alerts_since)
        .order_by()
        .values("country")
        .annotate(n=Count("pk"))
        .values("n")
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
    ).order_by("name")
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
        )
        for c in rows
    ]


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
    return risks(Country.objects.filter(region_id=meeting.region_id), Period.parse(meeting.quarter), alerts_since_for(meeting))


def sag_candidates() -> tuple[QuerySet, QuerySet]:
    """Escalated RQR items and alerts flagged for the SAG that no SAG agenda has taken yet."""
    items = (
        AgendaItem.objects.escalated()
        .filter(sag_items__isnull=True)
        .select_related("country", "meeting__region", "recorded_by")
        .order_by("recorded_at")
    )
    alerts = (
        Alert.objects.flagged_for_sag()
        .filter(sag_items__isnull=True)
        .select_related("country", "sag_flagged_by")
        .order_by("sag_flagged_at")
    )
    return items, alerts

