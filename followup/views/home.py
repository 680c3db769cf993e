"""The home page: a section for each role the person holds, each showing the work waiting for them
(reviews/home_sections.py, followup/home_sections.py). Nobody with a role is told they have none."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from hruf.figures_cache import draw_for_reader, kept_for_reader
from hruf.models import Role
from hruf.permissions import countries_filed_by, countries_visible_to, scope_of
from reviews.home_sections import chair_section, sag_section
from scans.models import ScanRevision
from scans.selectors import country_statuses, with_latest_scores

from ..home_sections import eosg_section, owner_section


@login_required
def home(request):
    """Kept for its reader until the data changes (hruf.figures_cache): the page people come back to most."""
    return render(request, "home.html", {"body": kept_for_reader(request, "home", [], partial(_home, request))})


def _home(request) -> str:
    today = timezone.localdate()
    scope = scope_of(request.user)
    context = {"today": today, "has_role": bool(scope.roles)}
    if scope.officer_countries:
        filed = countries_filed_by(request.user)
        context["statuses"] = country_statuses(filed, today)
        context["drafts"] = (
            ScanRevision.objects.drafts()
            .filter(scan__country__in=filed)
            .select_related("scan__country", "saved_by")
            .order_by("-saved_at")
        )
    if scope.chair_regions:
        context["attention"] = chair_section(request.user, today)
    if Role.SAG in scope.roles:
        context["sag"] = sag_section(request.user)
    if scope.is_eosg:
        context["eosg"] = eosg_section(request.user, today)
    if scope.owner_entities:
        context["owner"] = owner_section(request.user, today)
    if not scope.reads_everything:  # SAG and EOSG read every country: the country list is a link away
        context["followed"] = with_latest_scores(
            countries_visible_to(request.user).exclude(pk__in=scope.officer_countries)
        ).order_by("region__name", "name")
    return draw_for_reader(request, "_home_body.html", context)
