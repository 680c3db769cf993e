"""Reading scans: countries, a country's timeline, a scan explained."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hruf.audit import audit_read_restricted
from hruf.figures_cache import draw_for_reader, kept_for_reader
from hruf.paging import Page
from hruf.permissions import (
    can_file_for,
    can_manage_case_indicators,
    countries_visible_to,
    get_visible_or_404,
    require,
    scans_visible_to,
)
from hruf.post_only import post_only

from .. import services
from ..forms import CaseIndicatorForm, StartScanForm
from ..framework import framework_lens
from ..models import Scan
from ..periods import current_period
from ..risk_map import entries_from_statuses, risk_map
from ..scoring import movements, score_ratings
from ..selectors import (
    country_statuses,
    country_timeline,
    evidence_files_by,
    external_risk_of,
    previous_submitted,
    rating_inputs,
    ratings_read_by,
    with_external_risk,
)


@login_required
def country_list(request):
    """Kept for its reader until the data changes (hruf.figures_cache), as is the country's page."""
    return render(request, "scans/country_list.html", {"body": kept_for_reader(request, "countries", [],
                                                                                partial(_country_list, request))})


def _country_list(request) -> str:
    statuses = country_statuses(countries_visible_to(request.user).order_by("region__name", "name"), timezone.localdate())
    regions = {s.country.region_id for s in statuses}
    return draw_for_reader(request, "scans/_country_list_body.html", {
        "countries": [s.country for s in statuses],
        "map": risk_map(entries_from_statuses(statuses), caption=_("Risk by country, from each one's last scan"), whole_world=len(regions) > 1),
    })


PERIODS_SHOWN = 12


@login_required
def country_detail(request, iso3: str):
    country = get_visible_or_404(
        with_external_risk(countries_visible_to(request.user)).select_related("region"), iso3=iso3.upper()
    )
    body = kept_for_reader(request, "country", [country.pk], partial(_country_detail, request, country))
    return render(request, "scans/country_detail.html", {"country": country, "body": body})


def _country_detail(request, country) -> str:
    scans = list(
        scans_visible_to(request.user, Scan.objects.for_country(country))
        .select_related("submitted_revision")
        .order_by("period_start")
    )
    # Ten years of monthly scans made a 120-column timeline: a page shows PERIODS_SHOWN periods,
    # newest first, and links to earlier ones (the ratings are fetched for the shown periods only).
    page = Page.requested(request, PERIODS_SHOWN)
    shown = page.of(list(reversed(scans)))
    submitted = [s for s in reversed(shown) if s.is_submitted]
    period = current_period(country, timezone.localdate())
    return draw_for_reader(
        request,
        "scans/_country_detail_body.html",
        {
            "country": country,
            "scans": shown,
            "newer_page": page.previous,
            "older_page": page.following(page.stop < len(scans)),
            "timeline_scans": submitted,
            "timeline": country_timeline(submitted),
            "current_period": period,
            "can_file": can_file_for(request.user, country),
            "can_add_case": can_manage_case_indicators(request.user, country),
            "case_indicators": country.case_indicators.all(),
            "start_form": StartScanForm(initial={"period": period.code}),
            "case_form": CaseIndicatorForm(initial={"language": get_language()}),
            "external_risk": external_risk_of(country),
        },
    )


@login_required
@post_only("scans:country_detail", "iso3")
def case_indicator_add(request, iso3: str):
    country = get_visible_or_404(countries_visible_to(request.user), iso3=iso3.upper())
    require(can_manage_case_indicators(request.user, country))
    form = CaseIndicatorForm(request.POST)
    if form.is_valid():
        services.case_indicator_add(country=country, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Case-specific indicator added; open drafts now include it."))
        return redirect("scans:country_detail", iso3=country.iso3)
    return render(request, "scans/case_indicator_form.html", {"country": country, "form": form}, status=400)


@login_required
def scan_detail(request, pk: int):
    scan = get_visible_or_404(
        scans_visible_to(request.user, Scan.objects.select_related("country__region", "submitted_revision")), pk=pk
    )
    revisions = list(scan.revisions.select_related("saved_by", "matrix_version").order_by("-number"))
    files = can_file_for(request.user, scan.country)
    wanted = request.GET.get("revision", str(scan.submitted_revision.number if scan.is_submitted else ""))
    shown = next((r for r in revisions if str(r.number) == wanted and (files or not r.is_draft)), None)
    if shown is None:
        if not scan.is_submitted:  # only the country's officers see a scan that has no submission yet
            return redirect("scans:scan_edit", pk=scan.pk)
        shown = next(r for r in revisions if r.pk == scan.submitted_revision_id)
    previous = previous_submitted(scan)
    both = ratings_read_by(request.user, [shown.pk, previous.pk if previous else None])
    read = both[shown.pk]
    ratings = read.items
    previous_ratings = both[previous.pk].items if previous else []
    result = score_ratings(rating_inputs(ratings))
    attached = evidence_files_by(request.user, ratings=ratings)
    for rating in ratings:
        rating.evidence_files = attached.get(("rating", rating.pk), [])
    if read.restricted_shown:  # the previous scan's ratings feed the movements, not the page's evidence
        audit_read_restricted(request=request, obj=scan, detail={"revision": shown.number, "ratings": read.restricted_shown})
    return render(
        request,
        "scans/scan_detail.html",
        {
            "scan": scan,
            "shown": shown,
            "revisions": revisions,
            "ratings": ratings,
            "previous": previous,
            "movements": movements(rating_inputs(previous_ratings), rating_inputs(ratings)),
            "score_delta": result.score - previous.score if previous else None,
            "result": result,
            "lens": framework_lens(ratings),
            "can_file": files,
            "has_draft": any(r.is_draft for r in revisions),
        },
    )
