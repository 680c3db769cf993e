"""External structural risk: dated snapshots of someone else's statistical risk assessment.

Shown beside the scan scores as context, with their source and date. They are never an input
to the score (scans/scoring.py) or to the review ranking (reviews/ranking.py): a forecast
model's probability and a field team's observations answer different questions.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hruf.models import Country


class ExternalRiskSnapshot(models.Model):
    """One imported file: where it came from, the date it describes, and what could not be matched."""

    source = models.CharField(
        _("source"), max_length=200, help_text=_("Who published it, e.g. Early Warning Project, Statistical Risk Assessment.")
    )
    source_url = models.URLField(_("source address"), blank=True)
    as_of_date = models.DateField(_("as of"), help_text=_("The date the assessment describes or was published."))
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    original_filename = models.CharField(_("original file name"), max_length=255)
    # A second confirm of the same preview (a double click, a resent form) must not import twice.
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    rows_total = models.PositiveIntegerField(_("rows in the file"))
    rows_matched = models.PositiveIntegerField(_("rows matched to a country"))
    rows_unknown = models.PositiveIntegerField(_("rows with an unknown country"))
    # [{"line": 12, "name": "Kosovo", "reason": "..."}]: reported to EOSG, never guessed.
    unknown_names = models.JSONField(_("unknown country names"), default=list, blank=True)

    class Meta:
        ordering = ["-as_of_date", "-imported_at", "-id"]
        verbose_name = _("external risk snapshot")
        verbose_name_plural = _("external risk snapshots")
        constraints = [
            models.UniqueConstraint(fields=["source", "as_of_date", "file_sha256"], name="external_snapshot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.as_of_date:%Y-%m-%d})"


class ExternalRiskScore(models.Model):
    """One country's row in a snapshot: a probability between 0 and 1, and the source's rank."""

    snapshot = models.ForeignKey(ExternalRiskSnapshot, on_delete=models.CASCADE, related_name="scores")
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="external_risk_scores", verbose_name=_("country")
    )
    risk = models.DecimalField(
        _("risk"), max_digits=7, decimal_places=6,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    # The name as the file wrote it, so a match can be checked later ("Congo, Dem. Rep." -> COD).
    name_in_file = models.CharField(_("name in the file"), max_length=200)

    class Meta:
        ordering = ["snapshot", "rank", "-risk"]
        verbose_name = _("external risk score")
        verbose_name_plural = _("external risk scores")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "country"], name="one_external_score_per_country"),
            models.CheckConstraint(condition=Q(risk__gte=0) & Q(risk__lte=1), name="external_risk_is_probability"),
        ]
        # The country page and the agenda ask for each country's latest score.
        indexes = [models.Index(fields=["country", "snapshot"], name="external_score_by_country")]

    def __str__(self) -> str:
        return f"{self.country}: {self.risk}"
