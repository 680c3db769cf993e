"""Closed actions, counted once: done and cancelled actions never change unless reopened, so the
dashboard reads their counts here (a few hundred rows) instead of every action ever closed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hruf.models import Entity, Region

from .plans import ActionStatus

CLOSED_STATUSES = [ActionStatus.DONE, ActionStatus.CANCELLED]


class ClosedActionTally(models.Model):
    """How many actions are closed with a status, and their benchmarks, by lead entity, by region (of the
    plan's country) and by the month of their deadline (the dashboard's filters). Kept by followup.tally as
    actions close, reopen, move or go; recounted from the actions every night, any difference logged."""

    lead_entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the deadline's month.")
    status = models.CharField(max_length=12, choices=[(s.value, s.label) for s in CLOSED_STATUSES])
    count = models.IntegerField(default=0)
    # Their benchmarks, frozen with them while they stay closed (benchmarks are added and met on open actions only).
    benchmarks = models.IntegerField(default=0)
    benchmarks_met = models.IntegerField(default=0)
    benchmarks_on_time = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("closed actions count")
        verbose_name_plural = _("closed actions counts")
        constraints = [
            models.UniqueConstraint(fields=["lead_entity", "region", "month", "status"], name="closed_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.lead_entity_id}/{self.region_id}/{self.month:%Y-%m}/{self.status}: {self.count}"
