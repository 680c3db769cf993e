"""Human rights scans: one per country and period, each with its revisions and ratings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hruf.encryption import EncryptedTextField
from hruf.models import Country
from hruf.translated import written_in

from ..periods import MONTHLY, QUARTERLY, Period
from ..scoring import Tier
from .matrix import CaseIndicator, Indicator, MatrixVersion

TEXT_LIMIT = 5000
NARRATIVE_LIMIT = 20000


class Trend(models.TextChoices):
    IMPROVING = "improving", _("Improving")
    STABLE = "stable", _("Stable")
    WORSENING = "worsening", _("Worsening")


class Confidence(models.TextChoices):
    # A context of its own: "low"/"high" confidence and "low"/"high" risk tier differ in gender in French.
    LOW = "low", pgettext_lazy("confidence", "Low")
    MEDIUM = "medium", pgettext_lazy("confidence", "Medium")
    HIGH = "high", pgettext_lazy("confidence", "High")


class ScanQuerySet(models.QuerySet):
    def submitted(self) -> "ScanQuerySet":
        return self.filter(submitted_revision__isnull=False)

    def for_country(self, country: Country) -> "ScanQuerySet":
        return self.filter(country=country)


class Scan(models.Model):
    """The scan of one country for one period. Its content lives in revisions."""

    class PeriodKind(models.TextChoices):
        QUARTERLY = QUARTERLY, _("Quarterly")
        MONTHLY = MONTHLY, _("Monthly")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="scans", verbose_name=_("country"))
    period = models.CharField(_("period"), max_length=8)
    period_kind = models.CharField(_("period kind"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The latest submitted revision: what everyone but the drafting officers sees.
    submitted_revision = models.OneToOneField(
        "ScanRevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScanQuerySet.as_manager()

    class Meta:
        ordering = ["country", "-period_start"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        constraints = [models.UniqueConstraint(fields=["country", "period"], name="one_scan_per_country_period")]
        indexes = [
            models.Index(fields=["country", "-period_start"], name="scan_country_timeline"),
            # The API pages scans by keyset in this order (hruf.api.pagination.keyset).
            models.Index(fields=["-period_start", "-id"], name="scan_by_period"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.period}"

    @property
    def period_obj(self) -> Period:
        return Period(self.period_start, self.period_kind)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_revision_id is not None


class RevisionQuerySet(models.QuerySet):
    def drafts(self) -> "RevisionQuerySet":
        return self.filter(status=ScanRevision.Status.DRAFT)

    def submitted(self) -> "RevisionQuerySet":
        return self.filter(status=ScanRevision.Status.SUBMITTED)


class ScanRevision(models.Model):
    """One version of a scan's content. Submitted revisions are never changed again."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("scan"))
    number = models.PositiveSmallIntegerField(_("revision"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    matrix_version = models.ForeignKey(MatrixVersion, on_delete=models.PROTECT, related_name="+")
    narrative = models.TextField(_("overall narrative"), max_length=NARRATIVE_LIMIT, blank=True)
    language = written_in()  # of the narrative and the evidence
    amendment_reason = models.TextField(_("reason for the amendment"), max_length=TEXT_LIMIT, blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, blank=True)
    worsening = models.PositiveSmallIntegerField(_("indicators worsening"), null=True, blank=True)
    # Bumped on every save: a stale form (second tab, double post) is refused, not merged.
    lock_version = models.PositiveIntegerField(default=0)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["scan", "-number"]
        verbose_name = _("scan revision")
        verbose_name_plural = _("scan revisions")
        constraints = [
            models.UniqueConstraint(fields=["scan", "number"], name="revision_number_per_scan"),
            models.UniqueConstraint(fields=["scan"], condition=Q(status="draft"), name="one_draft_per_scan"),
            models.CheckConstraint(
                name="submitted_revision_is_scored",
                condition=Q(status="draft") | Q(score__isnull=False, submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scan} r{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_amendment(self) -> bool:
        return self.number > 1


class Rating(models.Model):
    """One indicator's rating in one revision: a matrix indicator or a case-specific one."""

    class Level(models.IntegerChoices):
        NOT_OBSERVED = 0, _("0 · Not observed")
        PRESENT = 1, _("1 · Present")
        SERIOUS = 2, _("2 · Serious")
        SEVERE = 3, _("3 · Severe")

    revision = models.ForeignKey(ScanRevision, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case_indicator = models.ForeignKey(
        CaseIndicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True, choices=Level.choices)
    trend = models.CharField(_("trend"), max_length=10, choices=Trend.choices, blank=True)
    evidence = EncryptedTextField(_("evidence"), max_length=TEXT_LIMIT, blank=True)
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices, blank=True)
    restricted = models.BooleanField(
        _("restricted evidence"),
        default=False,
        help_text=_("Names or exposes a source: shown only to this country's officers, its region's chairs and EOSG."),
    )
    # The period whose scan first gave this evidence, while it is carried forward unchanged; blank
    # once the officer edits it or confirms it still holds. Old evidence must not pass as new.
    evidence_from = models.CharField(_("evidence carried from"), max_length=7, blank=True)
    # When restricted evidence older than RESTRICTED_EVIDENCE_MONTHS was replaced (scans/retention.py).
    evidence_retired_at = models.DateTimeField(_("evidence withheld at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(name="rating_on_scale", condition=Q(rating__isnull=True) | Q(rating__lte=3)),
            models.CheckConstraint(
                name="rating_has_one_indicator",
                condition=Q(indicator__isnull=False, case_indicator__isnull=True)
                | Q(indicator__isnull=True, case_indicator__isnull=False),
            ),
            models.UniqueConstraint(fields=["revision", "indicator"], name="one_rating_per_indicator"),
            models.UniqueConstraint(fields=["revision", "case_indicator"], name="one_rating_per_case_indicator"),
        ]

    def __str__(self) -> str:
        # Never the evidence: it may be restricted, and labels reach the audit trail.
        return f"rating {self.pk} of revision {self.revision_id}"

    @property
    def key(self) -> str:
        return self.indicator.code if self.indicator_id else f"case:{self.case_indicator_id}"

    @property
    def source(self) -> Indicator | CaseIndicator:
        return self.indicator or self.case_indicator

    @property
    def label(self) -> str:
        """The indicator's name in the reader's language; a case-specific one's as written."""
        return self.indicator.translated("name") if self.indicator_id else self.source.name
