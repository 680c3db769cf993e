"""The home page's sections for the reviews' roles: the chair's attention list and the SAG member's cases
(the page is put together by followup.views.home, with the EOSG desk and the owner's actions). Each list
is cut at HOME_ROWS with a link to its full page and costs a fixed number of queries, however much data
there is."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from hruf.models import Country
from hruf.permissions import (
    alerts_visible_to,
    commitments_visible_to,
    meetings_visible_to,
    scope_of,
    warnings_visible_to,
)
from scans.models import Alert, EarlyWarning
from scans.selectors import alerts_read_by, country_statuses, with_latest_scores

from .models import AgendaItem, Commitment, Meeting, without_records
from .selectors import sag_candidates

HOME_ROWS = 20


def chair_section(user, today: dt.date) -> dict:
    regions = scope_of(user).chair_regions
    countries = Country.objects.filter(region_id__in=regions)
    since = timezone.now() - dt.timedelta(days=settings.CHAIR_ATTENTION_DAYS)
    scored = with_latest_scores(countries)
    statuses = country_statuses(countries, today)
    open_warnings = warnings_visible_to(user, EarlyWarning.objects.open().filter(country__region_id__in=regions))
    return {
        # Past their deadline and oldest first; a chair with more than a page of them sees the rest on /warnings/.
        "warnings": list(open_warnings.select_related("country").for_attention()[:HOME_ROWS + 1]),
        "home_warnings": HOME_ROWS,
        "now": timezone.now(),
        "jumps": scored.filter(score_change__gte=settings.RQR_JUMP_THRESHOLD).order_by("-score_change", "name"),
        "alerts": alerts_read_by(
            user, alerts_visible_to(user, Alert.objects.filter(country__region_id__in=regions)).since(since)
            .select_related("country")
        ).items,
        "late": [s for s in statuses if s.status == "overdue"],
        "escalated": AgendaItem.objects.escalated()
        .filter(meeting__region_id__in=regions)
        .select_related("country", "meeting__region")
        .defer(*without_records(item="", meeting="meeting__"))
        .prefetch_related("sag_items__meeting")
        .order_by("-recorded_at")[:20],
        "open_reviews": meetings_visible_to(user, Meeting.objects.rqr().filter(region_id__in=regions))
        .exclude(state=Meeting.State.CLOSED)
        .select_related("region").defer(*without_records(meeting="")),
        "days": settings.CHAIR_ATTENTION_DAYS,
        # What the region's decisions committed to, soonest due (longest overdue) first.
        "commitments": list(
            commitments_visible_to(user, Commitment.objects.open().in_regions(regions))
            .select_related("item__country", "item__meeting__region")
            .defer(*without_records(item="item__", meeting="item__meeting__")).order_by("due_at", "pk")[:HOME_ROWS + 1]
        ),
        "home_commitments": HOME_ROWS,
    }


def sag_section(user) -> dict:
    """Cases escalated to the SAG and alerts flagged for it that no SAG agenda has taken, oldest first,
    and the SAG meetings not yet closed (the member's own marked)."""
    items, alerts = sag_candidates(user)
    meetings = list(
        meetings_visible_to(user, Meeting.objects.sag()).exclude(state=Meeting.State.CLOSED)
        .order_by("date", "pk").prefetch_related("members")
    )
    for meeting in meetings:
        meeting.is_member = user in meeting.members.all()
    return {"cases": list(items[:HOME_ROWS + 1]), "flagged": alerts[:HOME_ROWS + 1], "flagged_total": len(alerts),
            "meetings": meetings, "rows": HOME_ROWS}
