import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hruf.country_names import name_in
from hruf.translated import Translatable


class Region(Translatable):
    """A regional grouping reviewed by one Regional Quarterly Review (editable data)."""

    TRANSLATED = ("name",)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.translated("name")


class Country(models.Model):
    """A UN member state; codes come from the country table in hruf/data (see load_reference)."""

    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=120)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries", verbose_name=_("region"))
    enhanced_reporting = models.BooleanField(
        _("enhanced reporting"),
        default=False,
        help_text=_("Highest-risk countries report monthly, on case-specific indicators too."),
    )
    # When monthly reporting starts under enhanced reporting: always the first day of a month. EOSG's
    # confirmation sets it to the month after the confirmation, so no month that had already begun
    # becomes due, or overdue, as a monthly period; until that day the country keeps its quarters.
    # Empty means monthly since before this was recorded (countries made enhanced earlier, or by an
    # administrator): monthly on every day. Read only while `enhanced_reporting` is on.
    monthly_from = models.DateField(
        _("monthly reporting from"),
        null=True,
        blank=True,
        help_text=_("First day of the first monthly period. Empty: monthly on every day while enhanced reporting is on."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The name in the reader's language (hruf/country_names.py); `name` is the stored English one."""
        return name_in(self.iso3, self.name)

    def clean(self) -> None:
        if self.monthly_from is not None and self.monthly_from.day != 1:
            raise ValidationError({"monthly_from": _("Monthly reporting starts on the first day of a month.")})

    def reports_monthly_on(self, day: dt.date) -> bool:
        """Whether `day` falls in the country's monthly reporting (scans.periods.kind_for)."""
        return self.enhanced_reporting and (self.monthly_from is None or day >= self.monthly_from)


class Entity(Translatable):
    """A UN entity that can lead or support a preventive action (OHCHR, DPPA, ...)."""

    TRANSLATED = ("name",)

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self) -> str:
        return self.code
