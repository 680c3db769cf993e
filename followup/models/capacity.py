"""The register of prevention capacity deployed in countries: human rights and peace and development
advisers, light teams, OHCHR presences. Kept by EOSG; read against risk on the surge board."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hruf.models import Country, Entity

from .plans import Action


class DeploymentQuerySet(models.QuerySet):
    def present_on(self, day) -> "DeploymentQuerySet":
        """Arrived by `day` and not yet ended: capacity in the country that day."""
        return self.filter(arrived_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))

    def overlapping(self, starts_on, ends_on) -> "DeploymentQuerySet":
        """Deployments whose dates meet [starts_on, ends_on] (an open end reaches forever)."""
        reaches_start = Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
        return self.filter(reaches_start) if ends_on is None else self.filter(reaches_start, starts_on__lte=ends_on)


class Deployment(models.Model):
    class Kind(models.TextChoices):
        HUMAN_RIGHTS_ADVISER = "hra", _("Human rights adviser")
        PEACE_AND_DEVELOPMENT_ADVISER = "pda", _("Peace and development adviser")
        LIGHT_TEAM = "light_team", _("Light team")
        OHCHR_PRESENCE = "ohchr_presence", _("OHCHR presence")
        OTHER = "other", _("Other surge capacity")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="deployments",
                                verbose_name=_("country"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", verbose_name=_("entity"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Leave empty while open-ended."))
    # Capacity counts from its arrival, not from the date planned.
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    requested_by = models.ForeignKey(Action, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="deployments", verbose_name=_("requested by the action"))
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=0)

    objects = DeploymentQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "starts_on", "pk"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        constraints = [
            models.CheckConstraint(name="deployment_ends_after_start",
                                   condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                                   violation_error_message=_("The deployment ends before it starts.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.entity}), {self.country}"
