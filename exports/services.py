"""Writes for exports: asking for a job, and running it (the Celery task calls export_job_run)."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hruf.audit import audit_export
from hruf.concurrency import compare_and_set
from hruf.models import User
from hruf.permissions import can_see_any_restricted, forget_scope, scope_snapshot

from .models import ExportJob, Format, Kind
from .rows import dataset_for
from .selectors import Filters
from .writers import write_csv, write_xlsx

log = logging.getLogger(__name__)


class ExportError(Exception):
    """A request the service refuses."""


@dataclass(frozen=True)
class ExportRequest:
    kind: str
    format: str
    filters: Filters
    include_restricted: bool = False


def _validate(request: ExportRequest) -> None:
    if request.kind not in Kind.values:
        raise ExportError(_("Choose what to export."))
    if request.format not in Format.values:
        raise ExportError(_("Choose a format."))


def export_job_create(*, actor: User, request: ExportRequest) -> ExportJob:
    """Record the request and hand it to a worker once the row is committed."""
    _validate(request)
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=actor,
            kind=request.kind,
            format=request.format,
            filters=request.filters.to_json(),
            scope=scope_snapshot(actor),
            # Not recorded as asked by someone who may not have it; the worker checks again anyway.
            include_restricted=request.include_restricted and can_see_any_restricted(actor),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_export

    try:
        run_export.delay(job_id)
    except Exception:  # broker down: say so on the job page rather than leave it waiting for ever
        log.warning("could not enqueue export job %s", job_id, exc_info=True)
        ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
            state=ExportJob.State.FAILED,
            finished_at=timezone.now(),
            error=_("The export could not be started: the job queue did not answer. Please try again later."),
        )


def _claim(job_id: int, now: dt.datetime) -> bool:
    # A running job older than the hard time limit lost its worker (acks_late redelivers the task): take it over.
    stale = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return compare_and_set(
        ExportJob, pk=job_id, where=Q(state=ExportJob.State.QUEUED) | Q(state=ExportJob.State.RUNNING, started_at__lt=stale),
        new={"state": ExportJob.State.RUNNING, "started_at": now, "rows_done": 0, "error": ""},
    )


def export_job_run(*, job_id: int, now: dt.datetime | None = None) -> bool:
    """Write one job's file. Returns False when there was nothing to claim (done, or another worker has it).

    The user's scope is read afresh here, not taken from the request: roles may have changed since.
    """
    now = now or timezone.now()
    if not _claim(job_id, now):
        return False
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    mine = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.RUNNING, started_at=now)
    try:
        with translation.override(job.language):
            rows_done = _write(job, mine)
    except SoftTimeLimitExceeded:
        mine.update(
            state=ExportJob.State.FAILED, finished_at=timezone.now(),
            error=_(
                "The export took longer than a job may run (%(seconds)s seconds). Narrow it with a country, "
                "region or period and try again."
            ) % {"seconds": settings.CELERY_TASK_TIME_LIMIT},
        )
        return False
    except Exception:
        log.exception("export job %s failed", job_id)
        if job.file:  # written before the failure: a failed job keeps no file
            job.file.delete(save=False)
        mine.update(
            state=ExportJob.State.FAILED, finished_at=timezone.now(),
            error=_("The export failed while the file was written. Please try again; if it fails again, tell "
                    "an administrator the job number (%(id)s).") % {"id": job_id},
        )
        return False
    log.info("export job %s: %s rows", job_id, rows_done)
    return True


def _write(job: ExportJob, mine) -> int:
    user = job.user
    forget_scope(user)
    dataset = dataset_for(
        job.kind, user=user, filters=Filters.from_json(job.filters), include_restricted=job.include_restricted,
        today=timezone.localdate(),
    )
    mine.update(rows_total=dataset.count())
    written = 0

    def progress(done: int) -> None:
        nonlocal written
        written = done
        mine.update(rows_done=done)

    with tempfile.TemporaryFile() as tmp:
        if job.format == Format.XLSX:
            write_xlsx(tmp, dataset.title, dataset.headers, dataset.rows(), on_progress=progress)
        else:
            write_csv(tmp, dataset.headers, dataset.rows(), on_progress=progress)
        tmp.seek(0)
        job.file.save(job.download_name(), File(tmp), save=False)
    # The count may have moved while the file was written; the file is what counts.
    with transaction.atomic():
        updated = mine.update(
            state=ExportJob.State.DONE, file=job.file.name, rows_done=written, rows_total=written,
            finished_at=timezone.now(),
        )
        if updated:
            audit_export(
                actor=user, kind=job.kind, fmt=job.format, filters=job.filters,
                include_restricted=job.include_restricted, rows=written, country=job.filters.get("country"),
            )
    if not updated:  # taken over meanwhile as stale: the other run's file is the one kept
        job.file.delete(save=False)
    return written
