"""External structural risk: EOSG uploads a CSV, checks the preview, confirms; the snapshots and
their reports of unknown country names are listed. The pages are EOSG's tools, not objects in
anyone's scope, so everyone else gets 403 (like the dashboard)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hruf.permissions import can_import_external_risk, require
from hruf.post_only import post_only

from ..external import ExternalImportError, decode_upload, external_import_preview, external_snapshot_import
from ..forms_external import ExternalRiskConfirmForm, ExternalRiskUploadForm
from ..models import ExternalRiskSnapshot

SNAPSHOT_LIST_LIMIT = 100


def _refused(request, form, error: str):
    """The upload page again with the typed source and date kept (a browser never keeps a file)."""
    return render(request, "scans/external_import.html", {"form": form, "error": error}, status=400)


@login_required
def external_risk_import(request):
    """GET: the upload form. POST: read the file and show the preview; nothing is written."""
    require(can_import_external_risk(request.user))
    form = ExternalRiskUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(request, "scans/external_import.html", {"form": form})
    if not form.is_valid():
        return _refused(request, form, "")
    data = form.cleaned_data["file"].read()
    try:
        preview = external_import_preview(data=data)
    except ExternalImportError as exc:
        return _refused(request, form, str(exc))
    context = {"form": form, "preview": preview, "d": form.cleaned_data}
    if preview.can_confirm:
        context["confirm"] = ExternalRiskConfirmForm(initial={"token": form.preview_token(decode_upload(data))})
    return render(request, "scans/external_preview.html", context, status=200 if preview.can_confirm else 400)


@login_required
@post_only("scans:external_risk_import")
def external_risk_confirm(request):
    require(can_import_external_risk(request.user))
    form = ExternalRiskConfirmForm(request.POST)
    if not form.is_valid():
        return _refused(request, ExternalRiskUploadForm(), " ".join(form.errors.get("token", [])))
    p = form.cleaned_data["token"]
    upload = ExternalRiskUploadForm(initial={k: p[k] for k in ("source", "source_url", "as_of_date", "notes")})
    try:
        snapshot = external_snapshot_import(
            data=p["text"].encode(), source=p["source"], source_url=p["source_url"],
            as_of_date=dt.date.fromisoformat(p["as_of_date"]),
            notes=p["notes"], original_filename=p["filename"], actor=request.user,
        )
    except ExternalImportError as exc:
        return _refused(request, upload, str(exc))
    messages.success(
        request,
        _("Imported %(matched)s countries from %(source)s as of %(date)s.")
        % {"matched": snapshot.rows_matched, "source": snapshot.source, "date": date_format(snapshot.as_of_date)},
    )
    if snapshot.rows_unknown:
        messages.warning(
            request,
            ngettext("%(n)s country name was not recognised and was left out; see below.",
                     "%(n)s country names were not recognised and were left out; see below.", snapshot.rows_unknown)
            % {"n": snapshot.rows_unknown},
        )
    return redirect("scans:external_snapshot_detail", pk=snapshot.pk)


@login_required
def external_snapshot_list(request):
    require(can_import_external_risk(request.user))
    snapshots = ExternalRiskSnapshot.objects.select_related("imported_by")[:SNAPSHOT_LIST_LIMIT]
    return render(request, "scans/external_snapshot_list.html", {"snapshots": snapshots, "limit": SNAPSHOT_LIST_LIMIT})


@login_required
def external_snapshot_detail(request, pk: int):
    require(can_import_external_risk(request.user))
    snapshot = get_object_or_404(ExternalRiskSnapshot.objects.select_related("imported_by"), pk=pk)
    scores = snapshot.scores.select_related("country").order_by(F("rank").asc(nulls_last=True), "-risk", "country__name")
    return render(request, "scans/external_snapshot_detail.html", {"snapshot": snapshot, "scores": scores})
