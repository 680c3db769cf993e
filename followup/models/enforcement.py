"""What the enforcement sweeps did: one event row per step, written with its notifications."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hruf.codes import LEGACY, Catalogue
from hruf.models import Country

from .plans import Action, Benchmark, Plan

# What an event's detail says, by code (EnforcementEvent.detail_code) with plain parameters.
EVENT_DETAILS = Catalogue("enforcement event details", fallback={"text": ""})
EVENT_DETAILS.add(LEGACY, text="%(text)s")
EVENT_DETAILS.add("step", text=_("step %(n)s"))
EVENT_DETAILS.add("due", text="%(date)s")
EVENT_DETAILS.add("period", text="%(period)s")
EVENT_DETAILS.add("score", text="%(score)s")
EVENT_DETAILS.add("score_change", text="%(score)s (%(change)+d)")
EVENT_DETAILS.add("user", text="%(username)s")


class EnforcementEvent(models.Model):
    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Deadline reminder")
        OVERDUE_OWNER = "overdue_owner", _("Overdue: owner notified")
        OVERDUE_CHAIR = "overdue_chair", _("Overdue: escalated to the regional chair")
        OVERDUE_EOSG = "overdue_eosg", _("Overdue: escalated to EOSG")
        SCAN_REMINDER = "scan_reminder", _("Scan due: officers reminded")
        SCAN_OVERDUE = "scan_overdue", _("Scan overdue: chair notified")
        RISK_JUMP = "risk_jump", _("Risk jump: chair notified")
        DIGEST = "digest", _("Weekly digest")
        OUTCOME_CHAIR = "outcome_chair", _("Plan outcome missing: chair notified")
        OUTCOME_EOSG = "outcome_eosg", _("Plan outcome missing: escalated to EOSG")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    benchmark = models.ForeignKey(Benchmark, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    detail_code = models.CharField(_("detail"), max_length=20, blank=True)
    detail_params = models.JSONField(_("detail parameters"), default=dict, blank=True)
    # Names the step once and for all ("action:12:overdue:2"): a second sweep, a second beat
    # or a redelivered task that tries the same step fails on this unique key and sends nothing.
    key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enforcement event")
        verbose_name_plural = _("enforcement events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.key})"

    def render_detail(self, *, language: str | None = None) -> str:
        if not self.detail_code:
            return ""
        return EVENT_DETAILS.render(self.detail_code, self.detail_params, "text", language=language)

    @property
    def detail(self) -> str:
        """The detail in the reader's (the active) language."""
        return self.render_detail()
