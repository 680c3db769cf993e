"""The Exports page (small exports answered at once, large ones queued), job pages and downloads."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hruf.audit import Audit, audit_export, audit_record
from hruf.models import Country, Region
from hruf.permissions import require, scope_still_covers

from .datasets import Dataset
from .forms import ExportForm
from .models import ExportJob, Format
from .rows import dataset_for
from .selectors import Filters
from .services import export_job_create
from .writers import csv_lines, write_xlsx

RECENT_JOBS = 10
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response, name: str):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _answer_now(dataset: Dataset, fmt: str, name: str):
    if fmt == Format.CSV:
        # Rows are read and written while the response goes out; nothing is held in memory.
        response = StreamingHttpResponse(csv_lines(dataset.headers, dataset.rows()), content_type="text/csv; charset=utf-8")
        return _attachment(response, f"{name}.csv")
    out = io.BytesIO()  # at most EXPORT_SYNC_MAX_ROWS rows
    write_xlsx(out, dataset.title, dataset.headers, dataset.rows())
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX_TYPE), f"{name}.xlsx")


@login_required
def export_page(request):
    form = ExportForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        require(form.offers_anything)
        if form.is_valid():
            export = form.export_request()
            today = timezone.localdate()
            dataset = dataset_for(
                export.kind, user=request.user, filters=export.filters,
                include_restricted=export.include_restricted, today=today,
            )
            rows = dataset.count()
            if rows <= settings.EXPORT_SYNC_MAX_ROWS:
                audit_export(
                    actor=request.user, kind=export.kind, fmt=export.format, filters=export.filters.to_json(),
                    include_restricted=export.include_restricted, rows=rows, country=export.filters.country_id,
                    request=request,
                )
                return _answer_now(dataset, export.format, f"hruf-{export.kind}-{today:%Y-%m-%d}")
            job = export_job_create(actor=request.user, request=export)
            messages.info(request, _("This export is large: it is being written in the background."))
            return redirect("exports:job_detail", pk=job.pk)
        status = 400
    jobs = ExportJob.objects.of(request.user)[:RECENT_JOBS]
    context = {"form": form, "jobs": jobs, "sync_max_rows": settings.EXPORT_SYNC_MAX_ROWS}
    return render(request, "exports/export_page.html", context, status=status)


def _own_job(request, pk: int) -> ExportJob:
    # Someone else's job answers exactly like one that does not exist.
    return get_object_or_404(ExportJob.objects.of(request.user), pk=pk)


def _describe(filters: Filters) -> list[str]:
    parts = []
    if filters.country_id:
        parts += [_("country %(name)s") % {"name": c.name} for c in Country.objects.filter(pk=filters.country_id)]
    if filters.region_id:
        parts += [_("region %(name)s") % {"name": r.name} for r in Region.objects.filter(pk=filters.region_id)]
    if filters.period:
        parts.append(_("period %(code)s") % {"code": filters.period})
    if filters.date_from:
        parts.append(_("from %(day)s") % {"day": filters.date_from.isoformat()})
    if filters.date_to:
        parts.append(_("to %(day)s") % {"day": filters.date_to.isoformat()})
    return parts


def _job_page(request, job: ExportJob, *, status: int = 200, **extra):
    context = {"job": job, "filters": _describe(Filters.from_json(job.filters)), **extra}
    return render(request, "exports/job_detail.html", context, status=status)


@login_required
def job_detail(request, pk: int):
    return _job_page(request, _own_job(request, pk))


@login_required
def job_download(request, pk: int):
    job = _own_job(request, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    if not scope_still_covers(request.user, job.scope):
        # Written while they could read more than they can now (a country or role taken away since).
        return _job_page(request, job, status=403, scope_changed=True)
    audit_record(actor=request.user, action=Audit.EXPORT, obj=job, request=request, label=job.kind,
                 detail={"download": True, "include_restricted": job.include_restricted, "rows": job.rows_done})
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.download_name())
