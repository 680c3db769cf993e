"""The warnings ledger: one row per warning that a country may be sliding, and its timeline.

A warning is raised in one place (scans/ledger.py) by rules written once: an urgent alert, a
scan whose risk rose, a country gone silent, a case escalated to the SAG or an alert flagged
for it. It always names who must act next and by when (`act_by`), and the sweeps chase it
until that is done. Reviews and follow-up sit above this app: they point down to a warning and
add its later steps (on an agenda, decided, plan adopted) through the ledger's functions.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hruf.codes import Catalogue
from hruf.models import Country

from .alerts import Alert
from .scans import Scan, ScanRevision

NOTE_LIMIT = 1000

# What a timeline step says beyond its kind, by code with plain parameters. Scans adds its own;
# reviews and follow-up add theirs (a meeting's title, a decision) when they load, as notices do.
STEP_DETAILS = Catalogue("warning step details", fallback={"text": ""})


class WarningQuerySet(models.QuerySet):
    def open(self) -> WarningQuerySet:
        """Not yet answered: raised or acknowledged, and neither on an agenda nor decided."""
        return self.filter(state__in=EarlyWarning.OPEN_STATES)

    def for_regional_review(self) -> WarningQuerySet:
        """Open warnings that a region's review answers (headquarters answers escalations and SAG flags)."""
        return self.open().exclude(kind__in=EarlyWarning.HEADQUARTERS_KINDS)

    def unacknowledged(self) -> WarningQuerySet:
        return self.filter(state=EarlyWarning.State.RAISED)

    def past_deadline(self, now: dt.datetime) -> WarningQuerySet:
        return self.unacknowledged().filter(act_by__lt=now)

    def in_region(self, region_id: int) -> WarningQuerySet:
        return self.filter(country__region_id=region_id)

    def for_attention(self) -> WarningQuerySet:
        """Oldest deadline first: the one past its deadline longest leads."""
        return self.order_by("act_by", "raised_at", "pk")


class EarlyWarning(models.Model):
    class Kind(models.TextChoices):
        ALERT = "alert", _("Urgent alert")
        RISK_RISE = "risk_rise", _("Risk rose")
        SILENCE = "silence", _("Country gone silent")
        ESCALATION = "escalation", _("Escalated to the Senior Action Group")
        SAG_FLAG = "sag_flag", _("Alert flagged for the Senior Action Group")

    class Severity(models.TextChoices):
        # Alerts keep their own severity; the other kinds are "elevated" (ledger.severity_of).
        IMMINENT = "imminent", _("Imminent")
        SEVERE = "severe", _("Severe")
        SERIOUS = "serious", _("Serious")
        ELEVATED = "elevated", _("Elevated")

    class State(models.TextChoices):
        RAISED = "raised", _("Waiting for acknowledgement")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged: waiting for an agenda")
        ON_AGENDA = "on_agenda", _("On an agenda")
        DECIDED = "decided", _("Decided: waiting for the plan")
        CLOSED = "closed", _("Closed")

    OPEN_STATES = (State.RAISED, State.ACKNOWLEDGED)
    # Kinds that headquarters answers (EOSG acknowledges); the region's chairs answer the others.
    HEADQUARTERS_KINDS = (Kind.ESCALATION, Kind.SAG_FLAG)

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="warnings", verbose_name=_("country"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    state = models.CharField(_("state"), max_length=14, choices=State.choices, default=State.RAISED)
    # The source: an alert (ALERT, SAG_FLAG), a scan (RISK_RISE; its revision as last assessed),
    # a reporting period (SILENCE). An escalation's agenda item points here from reviews.
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="warnings")
    scan = models.ForeignKey(Scan, null=True, blank=True, on_delete=models.PROTECT, related_name="warnings")
    revision = models.ForeignKey(ScanRevision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=7, blank=True)
    # What triggered it, as plain values (score, change, tier, period ...), for notices and pages.
    params = models.JSONField(default=dict, blank=True)

    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    # Who must act next, and by when (ledger.next_step): the deadline the ladder counts from.
    act_by = models.DateTimeField(_("act by"), db_index=True)
    ladder_step = models.PositiveSmallIntegerField(default=0)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledgement = models.TextField(_("what will be done"), max_length=NOTE_LIMIT, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = WarningQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        constraints = [
            # One warning per source: a second submit, sweep or amendment finds it and updates it.
            models.UniqueConstraint(fields=["alert", "kind"], condition=Q(alert__isnull=False), name="one_warning_per_alert_kind"),
            models.UniqueConstraint(fields=["scan"], condition=Q(kind="risk_rise"), name="one_rise_warning_per_scan"),
            models.UniqueConstraint(fields=["country", "period"], condition=Q(kind="silence"), name="one_silence_per_period"),
        ]
        indexes = [
            models.Index(fields=["state", "act_by"], name="warning_state_act_by"),
            # The answered ones, newest first: the API's second part (scans.api.warnings), paged by keyset.
            models.Index(fields=["-raised_at", "-id"], name="warning_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.country}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def awaits_acknowledgement(self) -> bool:
        """Raised and not yet answered: once on an agenda, decided or closed, it no longer waits for one."""
        return self.state == self.State.RAISED and not self.is_acknowledged

    def is_past_deadline(self, now: dt.datetime) -> bool:
        return self.state == self.State.RAISED and self.act_by < now

    @property
    def answered_by_headquarters(self) -> bool:
        return self.kind in self.HEADQUARTERS_KINDS

    @property
    def next_step(self) -> str:
        """Who must act next, and how (by `act_by`), in the reader's language; empty once closed."""
        hq = self.answered_by_headquarters
        steps = {
            self.State.RAISED: _("EOSG acknowledges it.") if hq else _("The region's chairs acknowledge it."),
            self.State.ACKNOWLEDGED: _("A Senior Action Group meeting takes it.") if hq
            else _("The region's chair puts it on a review's agenda, or defers it with a reason."),
            self.State.ON_AGENDA: _("The meeting decides."),
            self.State.DECIDED: _("The chair or EOSG adopts the follow-up plan."),
        }
        return str(steps.get(self.state, ""))


class WarningStep(models.Model):
    """One step of a warning's timeline. Its unique key names the step once and for all, so a
    second sweep or a repeated request records (and notifies) nothing twice: the outbox."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        UPDATED = "updated", _("Updated")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CHASED = "chased", _("Not acknowledged in time: escalated")
        ON_AGENDA = "on_agenda", _("Put on an agenda")
        DEFERRED = "deferred", _("Deferred to the next review")
        DECIDED = "decided", _("Decided")
        PLAN_ADOPTED = "plan_adopted", _("Follow-up plan adopted")
        FIRST_ACTION_DONE = "first_action", _("First action done")
        # What a decision committed someone to, by when, and whether it was met (reviews' commitments).
        COMMITMENT = "commitment", _("Commitment")
        SCAN_RECEIVED = "scan_received", _("Scan received")
        CLOSED = "closed", _("Closed")

    warning = models.ForeignKey(EarlyWarning, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=14, choices=Kind.choices)
    key = models.CharField(max_length=120, unique=True)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), max_length=NOTE_LIMIT, blank=True)
    detail_code = models.CharField(max_length=30, blank=True)
    # Plain values the step is shown with (a meeting's title parameters, a decision's code ...).
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("warning step")
        verbose_name_plural = _("warning steps")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.key})"

    @property
    def detail(self) -> str:
        """What the step adds, in the reader's (the active) language."""
        return STEP_DETAILS.render(self.detail_code, self.params, "text") if self.detail_code else ""


def _rise_detail(p: dict) -> str:
    from ..scoring import Tier

    values = {**p, "tier": Tier(p["tier"]).label.lower()}
    if p.get("change") is None:
        return gettext("Score %(score)s, %(tier)s, in the first scan (%(period)s).") % values
    return gettext("Score %(score)s (%(change)+d), %(tier)s, scan of %(period)s.") % values


def _chase_detail(p: dict) -> str:
    return gettext("Told to EOSG.") if p["n"] == 1 else gettext("Told to the Senior Action Group.")


STEP_DETAILS.add("rise", text=_rise_detail)
STEP_DETAILS.add("alert", text="%(severity)s: %(title)s", labels={"severity": lambda v: Alert.Severity(v).label})
STEP_DETAILS.add("period", text=_("Scan of %(period)s."))
STEP_DETAILS.add("withdrawn", text=_("The amended scan of %(period)s no longer shows a rise: withdrawn."))
STEP_DETAILS.add("chase", text=_chase_detail)
