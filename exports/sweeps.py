"""Export files do not outlive their use: a job's file is deleted EXPORT_KEEP_DAYS after it was written,
and the job stays, marked expired, so its maker sees what it was and can ask again."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from hruf.concurrency import compare_and_set
from hruf.sweeps import SweepResult, sweep_rows

from .models import ExportJob


def sweep_expired_exports(*, now: dt.datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.EXPORT_KEEP_DAYS)
    rows = ExportJob.objects.filter(state=ExportJob.State.DONE, finished_at__lt=cutoff).values_list("pk", "file")
    return sweep_rows("expired exports", rows, lambda row: _expire(*row), row_id=lambda row: f"export job {row[0]}")


def _expire(pk: int, name: str) -> int:
    if not compare_and_set(ExportJob, pk=pk, expected={"state": ExportJob.State.DONE},
                           new={"state": ExportJob.State.EXPIRED, "file": ""}):
        return 0
    if name:  # once the job no longer offers it (an autocommitted update): never a link to a missing file
        ExportJob._meta.get_field("file").storage.delete(name)
    return 1
