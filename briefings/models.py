"""Briefing packs: a PDF made by a worker from one meeting's agenda or one month's events, stored and listed."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reviews.models import Meeting


def _pack_path(pack: "BriefingPack", filename: str) -> str:
    # A random name: the files folder is private, and a name that says nothing leaks nothing in logs.
    return f"briefings/{pack.kind}/{uuid.uuid4().hex}.pdf"


class BriefingPackQuerySet(models.QuerySet):
    def in_flight(self) -> "BriefingPackQuerySet":
        return self.filter(state__in=[BriefingPack.State.QUEUED, BriefingPack.State.RUNNING])


class BriefingPack(models.Model):
    class Kind(models.TextChoices):
        RQR = "rqr", _("RQR agenda pack")
        SAG = "sag", _("SAG pack")
        MONTHLY = "monthly", _("Monthly briefing for Security Council political coordinators")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("meeting")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    # One monthly briefing per month: two beats, a retry or a second click find this key taken.
    key = models.CharField(max_length=40, unique=True, null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    file = models.FileField(_("file"), upload_to=_pack_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = BriefingPackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("briefing pack")
        verbose_name_plural = _("briefing packs")
        constraints = [
            models.CheckConstraint(
                name="briefing_pack_meeting_matches_kind",
                condition=Q(kind__in=["rqr", "sag"], meeting__isnull=False) | Q(kind="monthly", meeting__isnull=True),
            ),
            # A double click makes one job per meeting, not two racing each other.
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(state__in=["queued", "running"]), name="one_pack_in_flight_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def subject(self) -> str:
        if self.meeting_id:
            return str(self.meeting)
        return self.period_start.strftime("%Y-%m")

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.DONE and bool(self.file)

    @property
    def download_name(self) -> str:
        subject = f"meeting-{self.meeting_id}" if self.meeting_id else self.period_start.strftime("%Y-%m")
        return f"hruf-{self.kind}-{subject}.pdf"
