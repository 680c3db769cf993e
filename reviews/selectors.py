"""Reads for reviews: a region's countries with their risk as of a quarter, in one query."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hruf.models import Country
from hruf.permissions import actions_visible_to
from scans.models import Alert, Scan
from scans.periods import Period
from scans.selectors import ExternalRisk, alerts_read_by, external_risk_of, with_external_risk

from .models import AgendaItem, Meeting
from .ranking import CountryRisk


def _latest(as_of: dt.date, offset: int, field: str) -> Subquery:
    return Subquery(
        Scan.objects.submitted()
        .filter(country=OuterRef("pk"), period_start__lte=as_of)
        .order_by("-period_start")
        .values(field)[offset : offset + 1]
    )


# Follow-up sits above this app: its actions are read through Country's reverse relation.
_OPEN_ACTION = Q(plans__actions__status__in=["planned", "in_progress", "blocked"])


def _action_count(condition: Q) -> Subquery:
    return Subquery(
        Country.objects.filter(pk=OuterRef("pk"))
        .annotate(n=Count("plans__actions", filter=condition))
        .values("n")[:1],
        output_field=IntegerField(),
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
        open_actions=_action_count(_OPEN_ACTION),
        overdue_actions=_action_count(_OPEN_ACTION & Q(plans__actions__deadline__lt=timezone.localdate())),
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
            open_actions=c.open_actions or 0,
            overdue_actions=c.overdue_actions or 0,
        )
        for c in rows
    ]


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
    return risks(Country.objects.filter(region_id=meeting.region_id), Period.parse(meeting.quarter), alerts_since_for(meeting))


def sag_candidates(user) -> tuple[QuerySet, list[Alert]]:
    """Escalated RQR items and alerts flagged for the SAG that no SAG agenda has taken yet, the
    alerts as the user may read them (alerts_read_by; the list shows no evidence, so no audit)."""
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
    return items, alerts_read_by(user, alerts).items



def open_actions_by_country(user, country_ids) -> dict[int, list]:
    """The open follow-up actions of these countries that the user may see, through Country's
    reverse relations (follow-up is the layer above; this app does not import it)."""
    action_model = Country.plans.rel.related_model.actions.rel.related_model
    actions = actions_visible_to(
        user,
        action_model.objects.filter(plan__country_id__in=country_ids, status__in=["planned", "in_progress", "blocked"]),
    ).select_related("lead_entity", "plan").order_by("deadline")
    grouped: dict[int, list] = {}
    for action in actions:
        grouped.setdefault(action.plan.country_id, []).append(action)
    return grouped
