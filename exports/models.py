"""Export jobs: large exports written by a Celery worker into private storage, downloaded by their owner."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SCANS = "scans", _("Scans with their ratings")
    ALERTS = "alerts", _("Urgent alerts")
    ACTIONS = "actions", _("Follow-up actions")
    RECORDS = "records", _("Review records")
    CLOCK = "clock", _("Warning-to-response clock")
    GAP = "gap", _("Warning-response gap")


class Format(models.TextChoices):
    CSV = "csv", _("CSV (comma-separated text)")
    XLSX = "xlsx", _("Excel workbook (XLSX)")


class ExportJobQuerySet(models.QuerySet):
    def of(self, user) -> "ExportJobQuerySet":
        return self.filter(user=user)


class ExportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired: its file was deleted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("requested by")
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # Country and region ids, period code and dates as the form gave them (exports.selectors.Filters).
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # The maker's scope when asked (hruf.permissions.scope_snapshot): the file is served only while they keep it all.
    scope = models.JSONField(_("scope when asked"), default=dict, blank=True)
    # What was asked; the worker checks again, row by row, whether the user may see it.
    include_restricted = models.BooleanField(_("include restricted evidence"), default=False)
    # Headers and labels come out in the language of the page the export was asked from.
    language = models.CharField(max_length=10, default="en")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    # In default storage under MEDIA_ROOT, which has no public URL: served by exports.views.job_download.
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True, max_length=200)
    error = models.TextField(_("what went wrong"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        indexes = [models.Index(fields=["user", "-created_at"], name="export_job_recent_per_user")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format}) #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.EXPIRED)

    @property
    def expires_at(self) -> dt.datetime | None:
        """When the file is deleted (exports/sweeps.py): EXPORT_KEEP_DAYS after it was written."""
        if self.state != self.State.DONE or self.finished_at is None:
            return None
        return self.finished_at + dt.timedelta(days=settings.EXPORT_KEEP_DAYS)

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, round(100 * self.rows_done / self.rows_total))

    def download_name(self) -> str:
        return f"hruf-{self.kind}-{self.created_at:%Y-%m-%d}-{self.pk}.{self.format}"
