"""The library of common preventive actions that plans are drafted from, kept by EOSG."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hruf.models import Entity
from hruf.translated import Translatable

# A default benchmark falls due at most this many days after the plan's adoption (about three years).
MAX_OFFSET_DAYS = 1100


class ActionTemplate(Translatable):
    """A common preventive action. Retired (not active) templates are no longer offered for new plans,
    and stay on the plans that used them, with their statistics (followup/library.py)."""

    TRANSLATED = ("title", "description")

    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    default_lead = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("usual lead entity")
    )
    default_duration_days = models.PositiveSmallIntegerField(
        _("default duration (days)"), null=True, blank=True, validators=[MaxValueValidator(MAX_OFFSET_DAYS)],
        help_text=_("A new action's deadline is this many days after the plan's adoption; empty: chosen each time."),
    )
    active = models.BooleanField(_("offered for new plans"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("preventive action template")
        verbose_name_plural = _("preventive action templates")

    def __str__(self) -> str:
        return self.translated("title")


class TemplateBenchmark(Translatable):
    """A benchmark an action drafted from the template starts with, due some days after adoption."""

    TRANSLATED = ("description",)

    template = models.ForeignKey(ActionTemplate, on_delete=models.CASCADE, related_name="benchmarks")
    description = models.CharField(_("milestone"), max_length=300)
    offset_days = models.PositiveSmallIntegerField(
        _("due, days after adoption"), validators=[MaxValueValidator(MAX_OFFSET_DAYS)]
    )
    evidence_required = models.BooleanField(_("evidence required to close the action"), default=True)

    class Meta:
        ordering = ["offset_days", "id"]
        verbose_name = _("default benchmark")
        verbose_name_plural = _("default benchmarks")

    def __str__(self) -> str:
        return self.translated("description")
