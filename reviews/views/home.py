"""The home page: an officer's countries, and for a chair what needs attention in their region."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from hruf.models import Country
from hruf.permissions import (
    alerts_visible_to,
    commitments_visible_to,
    countries_filed_by,
    countries_visible_to,
    meetings_visible_to,
    scope_of,
    warnings_visible_to,
)
from scans.models import Alert, EarlyWarning, ScanRevision
from scans.selectors import alerts_read_by, country_statuses, with_latest_scores

from ..models import AgendaItem, Commitment, Meeting

HOME_WARNINGS = 20
HOME_COMMITMENTS = 20


def _attention(user, today: dt.date) -> dict:
    regions = scope_of(user).chair_regions
    countries = Country.objects.filter(region_id__in=regions)
    since = timezone.now() - dt.timedelta(days=settings.CHAIR_ATTENTION_DAYS)
    scored = with_latest_scores(countries)
    statuses = country_statuses(countries, today)
    open_warnings = warnings_visible_to(user, EarlyWarning.objects.open().filter(country__region_id__in=regions))
    return {
        # Past their deadline and oldest first; a chair with more than a page of them sees the rest on /warnings/.
        "warnings": list(open_warnings.select_related("country").for_attention()[:HOME_WARNINGS + 1]),
        "home_warnings": HOME_WARNINGS,
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
        .prefetch_related("sag_items__meeting")
        .order_by("-recorded_at")[:20],
        "open_reviews": meetings_visible_to(user, Meeting.objects.rqr().filter(region_id__in=regions))
        .exclude(state=Meeting.State.CLOSED)
        .select_related("region"),
        "days": settings.CHAIR_ATTENTION_DAYS,
        # What the region's decisions committed to, soonest due (longest overdue) first.
        "commitments": list(
            commitments_visible_to(user, Commitment.objects.open().in_regions(regions))
            .select_related("item__country", "item__meeting__region").order_by("due_at", "pk")[:HOME_COMMITMENTS + 1]
        ),
        "home_commitments": HOME_COMMITMENTS,
    }


@login_required
def home(request):
    today = timezone.localdate()
    filed = countries_filed_by(request.user)
    context = {"today": today}
    if scope_of(request.user).officer_countries:
        context["statuses"] = country_statuses(filed, today)
        context["drafts"] = (
            ScanRevision.objects.drafts()
            .filter(scan__country__in=filed)
            .select_related("scan__country", "saved_by")
            .order_by("-saved_at")
        )
    if scope_of(request.user).chair_regions:
        context["attention"] = _attention(request.user, today)
    context["followed"] = with_latest_scores(countries_visible_to(request.user).exclude(pk__in=filed)).order_by(
        "region__name", "name"
    )
    return render(request, "reviews/home.html", context)

