"""Commitments: what a recorded decision binds someone to do, by when (DOMAIN.md, "A decision creates a
commitment"). Deadlines are data: `due_at` is an indexed column and reviews/commitment_sweeps.py chases the
rows past it, rung by rung, until the service that does the thing marks the commitment fulfilled."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .meetings import AgendaItem, Decision


class CommitmentQuerySet(models.QuerySet):
    def open(self) -> CommitmentQuerySet:
        return self.filter(state=Commitment.State.OPEN)

    def overdue(self, now: dt.datetime) -> CommitmentQuerySet:
        """Open and past their due moment."""
        return self.open().filter(due_at__lte=now)

    def escalated(self) -> CommitmentQuerySet:
        """Open and told to the last rung of their ladder (Commitment.is_escalated)."""
        two = [str(k) for k in Commitment.TWO_RUNGS]
        return self.open().filter(Q(kind__in=two, ladder_step__gte=2) | (~Q(kind__in=two) & Q(ladder_step__gte=1)))

    def in_regions(self, region_ids) -> CommitmentQuerySet:
        """Those about the countries of these regions (an RQR's, and a SAG decision's on such a country)."""
        return self.filter(item__country__region_id__in=region_ids)


class Commitment(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", _("A follow-up plan adopted")
        SAG = "sag", _("Taken by a Senior Action Group meeting")
        ENHANCED = "enhanced", _("EOSG confirms or declines enhanced reporting")
        MONITOR = "monitor", _("Proposed again at the next review")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Fulfilled")
        SUPERSEDED = "superseded", _("Superseded by a new decision")

    # The decision each kind follows from.
    OF_DECISION = {
        Decision.PLAN: Kind.PLAN,
        Decision.ESCALATE: Kind.SAG,
        Decision.ENHANCED: Kind.ENHANCED,
        Decision.MONITOR: Kind.MONITOR,
    }
    # Kinds whose ladder has two rungs (the chair or the SAG, then EOSG); the others tell EOSG once.
    TWO_RUNGS = (Kind.PLAN, Kind.MONITOR)

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("decision")
    )
    kind = models.CharField(_("commitment"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("made at"))
    due_at = models.DateTimeField(_("due"))
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    # The last rung of the ladder told (0: none); the sweep claims a row by compare-and-set on it.
    ladder_step = models.PositiveSmallIntegerField(default=0)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            # Re-recording a different decision supersedes the open commitment before making the next.
            models.UniqueConstraint(fields=["item"], condition=Q(state="open"), name="one_open_commitment_per_item"),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="commitment_state_due"),
            # The API pages commitments by keyset in this order (hruf.api.pagination.keyset).
            models.Index(fields=["due_at", "id"], name="commitment_by_due"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def is_overdue(self, now: dt.datetime) -> bool:
        return self.is_open and self.due_at <= now

    @property
    def is_late(self) -> bool:
        """Fulfilled, but after its due moment."""
        return self.fulfilled_at is not None and self.fulfilled_at > self.due_at

    @property
    def rungs(self) -> int:
        return rungs_of(self.kind)

    @property
    def is_escalated(self) -> bool:
        return self.is_open and self.ladder_step >= self.rungs


def rungs_of(kind: str) -> int:
    return 2 if kind in Commitment.TWO_RUNGS else 1


def ladder_target(kind: str, due_at: dt.datetime, now: dt.datetime) -> int:
    """0 before the due moment; 1 at it; 2 (for a two-rung kind) COMMITMENT_ESCALATE_EOSG_DAYS later."""
    if now < due_at:
        return 0
    later = due_at + dt.timedelta(days=settings.COMMITMENT_ESCALATE_EOSG_DAYS)
    return 2 if rungs_of(kind) == 2 and now >= later else 1


class CommitmentStep(models.Model):
    """One step of a commitment's history, under a unique key: made, met, superseded, or a rung of its
    ladder told. The key is what makes a sweep's step happen once, whether or not the decision answered
    a warning (the warnings' timelines get a step of their own too)."""

    class Kind(models.TextChoices):
        MADE = "made", _("Made")
        MET = "met", _("Met")
        MISSED = "missed", _("Missed: told")
        SUPERSEDED = "superseded", _("Superseded")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
    rung = models.PositiveSmallIntegerField(default=0)
    key = models.CharField(max_length=120, unique=True)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("commitment step")
        verbose_name_plural = _("commitment steps")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.key})"
