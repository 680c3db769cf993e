from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hruf.encryption import EncryptedTextField
from hruf.models import Country
from hruf.translated import written_in

from .scans import NARRATIVE_LIMIT, TEXT_LIMIT


class AlertQuerySet(models.QuerySet):
    def since(self, moment) -> "AlertQuerySet":
        return self.filter(raised_at__gte=moment)

    def flagged_for_sag(self) -> "AlertQuerySet":
        return self.filter(sag_flagged_at__isnull=False)


class Alert(models.Model):
    """An urgent, out-of-cycle alert: goes straight to the region's chairs and to EOSG."""

    class Severity(models.TextChoices):
        SERIOUS = "serious", _("Serious: violence or threats are escalating")
        SEVERE = "severe", _("Severe: atrocity crimes may be under way")
        IMMINENT = "imminent", _("Imminent: lives are at risk in the coming days")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("country"))
    title = models.CharField(_("what happened"), max_length=200)
    location = models.CharField(_("where"), max_length=200)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("details"), max_length=NARRATIVE_LIMIT)
    evidence = EncryptedTextField(_("evidence and sources"), max_length=TEXT_LIMIT, blank=True)
    language = written_in()  # of its title, place, details and evidence
    evidence_restricted = models.BooleanField(
        _("restricted evidence"),
        default=True,
        help_text=_("Shown only to this country's officers, its region's chairs and EOSG."),
    )
    # When restricted evidence older than RESTRICTED_EVIDENCE_MONTHS was replaced (scans/retention.py).
    evidence_retired_at = models.DateTimeField(_("evidence withheld at"), null=True, blank=True, editable=False)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True, db_index=True)
    # Names one sending of the form: a form sent twice (a retry when the connection returns, a double
    # tap) finds the alert its first sending made instead of raising a second one.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # A chair or EOSG may send an alert straight to the Senior Action Group.
    sag_flagged_at = models.DateTimeField(_("flagged for the SAG at"), null=True, blank=True)
    sag_flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sag_flag_reason = models.TextField(_("why the SAG should take it"), max_length=TEXT_LIMIT, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("urgent alert")
        verbose_name_plural = _("urgent alerts")
        # The alerts page and the API page by keyset in this order (hruf.paging.older_than, hruf.api.pagination).
        indexes = [models.Index(fields=["-raised_at", "-id"], name="alert_newest")]

    def __str__(self) -> str:
        return f"{self.country}: {self.title}"
