"""The indicator matrix: plain-language indicators mapped to the Framework of Analysis."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hruf.models import Country
from hruf.translated import Translatable, written_in


class RiskFactor(Translatable):
    """One of the 14 risk factors of the UN Framework of Analysis for Atrocity Crimes (2014)."""

    TRANSLATED = ("name", "group")

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    group = models.CharField(_("group"), max_length=60)

    class Meta:
        ordering = ["number"]
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")

    def __str__(self) -> str:
        return f"{self.number}. {self.translated('name')}"


class MatrixVersionQuerySet(models.QuerySet):
    def published(self) -> "MatrixVersionQuerySet":
        return self.filter(published_at__isnull=False)

    def current(self) -> "MatrixVersion | None":
        return self.published().order_by("-number").first()


class MatrixVersion(models.Model):
    """A published set of indicators; every scan keeps the version it was filed with."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    notes = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("New scans use the latest published version.")
    )

    objects = MatrixVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("matrix version")
        verbose_name_plural = _("matrix versions")

    def __str__(self) -> str:
        return _("Matrix version %(n)s") % {"n": self.number}


class Indicator(Translatable):
    TRANSLATED = ("name", "question", "guidance")

    version = models.ForeignKey(
        MatrixVersion, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("matrix version")
    )
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Stable across versions, so scans compare over time.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    question = models.CharField(_("question"), max_length=300)
    guidance = models.TextField(_("guidance"))
    risk_factors = models.ManyToManyField(RiskFactor, related_name="indicators", verbose_name=_("risk factors"))

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="indicator_code_per_version")]

    def __str__(self) -> str:
        return self.translated("name")


class CaseIndicatorQuerySet(models.QuerySet):
    def active(self) -> "CaseIndicatorQuerySet":
        return self.filter(active=True)


class CaseIndicator(models.Model):
    """An indicator specific to one high-risk country, rated like the matrix."""

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="case_indicators", verbose_name=_("country")
    )
    name = models.CharField(_("name"), max_length=200)
    question = models.CharField(_("question"), max_length=300, blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    language = written_in()  # whoever adds it writes it; it stays as written
    # The Framework of Analysis factors it informs (scans/framework.py); none until EOSG maps it.
    risk_factors = models.ManyToManyField(RiskFactor, blank=True, related_name="case_indicators",
                                          verbose_name=_("risk factors"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CaseIndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["country", "id"]
        verbose_name = _("case-specific indicator")
        verbose_name_plural = _("case-specific indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return f"case:{self.pk}"
