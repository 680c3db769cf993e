"""The enforcement machinery watched: one heartbeat row per beat task, and the one alarm of the
dead man's switch (hruf/switch.py)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class SweepHeartbeat(models.Model):
    """What a beat task did on its last run. Written by the worker (hruf/heartbeats.py) when the task
    starts and ends; read by /health/, the operator page, the metrics and the switch.

    `watched_since` is when the row was first made (by a run or by a check): a sweep that never ran
    is late counted from then, so a beat that never started is caught like one that stopped."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    watched_since = models.DateTimeField(_("watched since"))
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("last duration (ms)"), null=True, blank=True)
    last_claimed = models.PositiveIntegerField(_("rows claimed"), default=0)
    last_notified = models.PositiveIntegerField(_("notifications written"), default=0)
    last_failed_rows = models.PositiveIntegerField(_("rows failed"), default=0)
    runs = models.PositiveIntegerField(_("runs finished"), default=0)
    errors = models.PositiveIntegerField(_("runs that raised"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sweep heartbeat")
        verbose_name_plural = _("sweep heartbeats")

    def __str__(self) -> str:
        return self.name

    def is_late(self, now: dt.datetime, allowed: dt.timedelta) -> bool:
        """Late: no finished run within `allowed` (hruf.heartbeats.late_after: twice the beat interval)."""
        return (self.last_finished_at or self.watched_since) < now - allowed

    def is_failing(self) -> bool:
        """Its last run raised, or finished leaving rows it could not handle."""
        raised_last = self.last_error_at is not None and (
            self.last_finished_at is None or self.last_error_at > self.last_finished_at
        )
        return raised_last or self.last_failed_rows > 0


class SweepAlarm(models.Model):
    """The switch's one row (pk 1): raised while some sweep is late. It is raised and lowered by
    compare-and-set, so of several web processes and cron runs exactly one sends each email."""

    raised_at = models.DateTimeField(_("raised at"), null=True, blank=True)
    late = models.JSONField(_("late sweeps when raised"), default=list, blank=True)
    lowered_at = models.DateTimeField(_("lowered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sweep alarm")
        verbose_name_plural = _("sweep alarms")

    def __str__(self) -> str:
        return "raised" if self.raised_at else "quiet"
