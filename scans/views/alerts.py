"""Urgent alerts: filed by a country's officers between scans."""

import uuid
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hruf.audit import audit_read_restricted
from hruf.figures_cache import draw_for_reader, kept_for_reader
from hruf.paging import OlderPage
from hruf.permissions import (
    alerts_visible_to,
    can_create_plan,
    can_file_for,
    can_flag_for_sag,
    countries_visible_to,
    get_visible_or_404,
    require,
)

from .. import services
from ..forms import AlertForm, EvidenceUploadForm
from ..models import Alert, EarlyWarning, WarningStep
from ..selectors import alerts_read_by, evidence_files_by

ALERT_PAGE = 50  # alerts a page shows, newest first; older ones a link away


@login_required
def alert_create(request, iso3: str):
    country = get_visible_or_404(countries_visible_to(request.user), iso3=iso3.upper())
    require(can_file_for(request.user, country))
    form = AlertForm(request.POST or None, initial={"submission_key": uuid.uuid4(), "language": get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            alert = services.alert_raise(country=country, actor=request.user, **form.cleaned_data)
        except services.AlertAlreadySent as exc:
            messages.info(request, str(exc))
            return redirect("scans:alert_detail", pk=exc.alert.pk)
        messages.success(request, _("Urgent alert sent to the regional chair and EOSG."))
        return redirect("scans:alert_detail", pk=alert.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "scans/alert_form.html", {"country": country, "form": form}, status=status)


@login_required
def alert_detail(request, pk: int):
    alert = get_visible_or_404(
        alerts_visible_to(request.user, Alert.objects.select_related("country__region", "raised_by", "sag_flagged_by")),
        pk=pk,
    )
    if alerts_read_by(request.user, [alert]).restricted_shown:
        audit_read_restricted(request=request, obj=alert)
    can_file = can_file_for(request.user, alert.country)
    return render(
        request,
        "scans/alert_detail.html",
        {
            "alert": alert,
            "can_flag": can_flag_for_sag(request.user, alert.country) and not alert.sag_flagged_at,
            "can_plan": can_create_plan(request.user, alert.country),
            "warning": alert.warnings.filter(kind=EarlyWarning.Kind.ALERT).first(),
            "steps": WarningStep.objects.filter(warning__alert=alert).select_related("actor", "warning"),
            "evidence_files": evidence_files_by(request.user, alerts=[alert]).get(("alert", alert.pk), []),
            "upload_form": EvidenceUploadForm() if can_file else None,
            "evidence_max_mb": settings.EVIDENCE_MAX_MB,
        },
    )


@login_required
def alert_list(request):
    """Kept for its reader until the data changes (hruf.figures_cache)."""
    return render(request, "scans/alert_list.html", {"body": kept_for_reader(request, "alerts", [],
                                                                              partial(_alert_list, request))})


def _alert_list(request) -> str:
    visible = alerts_visible_to(request.user, Alert.objects.select_related("country", "raised_by"))
    page = OlderPage.of(request, visible, at="raised_at", size=ALERT_PAGE)
    alerts = alerts_read_by(request.user, page.rows).items  # the list shows no evidence: no audit
    return draw_for_reader(request, "scans/_alert_list_body.html",
                           {"alerts": alerts, "older": page.older, "paged": page.paged})
