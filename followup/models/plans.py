"""Follow-up plans: actions with owners, deadlines and benchmarks, and the log of their updates."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hruf.models import Country, Entity
from reviews.models import AgendaItem
from scans.models import Alert

TEXT_LIMIT = 5000


class ActionTemplate(models.Model):
    """A common preventive action that plans are drafted from (editable library)."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    default_lead = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("usual lead entity")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("preventive action template")
        verbose_name_plural = _("preventive action templates")

    def __str__(self) -> str:
        return self.title


class Plan(models.Model):
    """A follow-up plan for one country, from an RQR or SAG decision or an urgent alert."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="plans", verbose_name=_("country"))
    title = models.CharField(_("title"), max_length=200)
    source_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="plans", verbose_name=_("decision")
    )
    source_alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="plans", verbose_name=_("urgent alert")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")
        constraints = [
            models.CheckConstraint(
                name="plan_has_a_source", condition=Q(source_item__isnull=False) | Q(source_alert__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    BLOCKED = "blocked", _("Blocked")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED]


class ActionQuerySet(models.QuerySet):
    def open(self) -> "ActionQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date) -> "ActionQuerySet":
        return self.open().filter(deadline__lt=today)

    def due_within(self, today: dt.date, days: int) -> "ActionQuerySet":
        return self.open().filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=days))


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan"))
    template = models.ForeignKey(ActionTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=TEXT_LIMIT, blank=True)
    lead_entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="led_actions", verbose_name=_("lead entity"))
    supporting_entities = models.ManyToManyField(
        Entity, blank=True, related_name="supported_actions", verbose_name=_("supporting entities")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions", verbose_name=_("owner")
    )
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=TEXT_LIMIT, blank=True)
    restricted = models.BooleanField(
        _("restricted"), default=False,
        help_text=_("Hidden from the SAG and from focal points of entities that neither lead nor support it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Enforcement state, advanced only by compare-and-set in followup.enforcement.
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    overdue_step = models.PositiveSmallIntegerField(_("escalation step"), default=0)
    lock_version = models.PositiveIntegerField(default=0)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            models.Index(fields=["status", "deadline"], name="action_open_by_deadline"),
            # Partial indexes on the open actions, about a tenth of them as the years pass: the
            # dashboard's oldest overdue and pending benchmarks, and the plans still open.
            models.Index(fields=["deadline", "id"], condition=Q(status__in=OPEN_STATUSES), name="action_open_deadline"),
            models.Index(fields=["plan"], condition=Q(status__in=OPEN_STATUSES), name="action_open_plan"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def days_overdue(self, today: dt.date) -> int:
        return max(0, (today - self.deadline).days) if self.is_open else 0


class BenchmarkQuerySet(models.QuerySet):
    def pending(self) -> "BenchmarkQuerySet":
        return self.filter(met_at__isnull=True, action__status__in=OPEN_STATUSES)


class Benchmark(models.Model):
    """A measurable milestone of an action, with its own due date and the evidence that it was met."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="benchmarks", verbose_name=_("action"))
    description = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("due date"), db_index=True)
    evidence_required = models.BooleanField(_("evidence required to close the action"), default=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    evidence = models.TextField(_("evidence that it was met"), max_length=TEXT_LIMIT, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    overdue_step = models.PositiveSmallIntegerField(default=0)

    objects = BenchmarkQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("benchmark")
        verbose_name_plural = _("benchmarks")

    def __str__(self) -> str:
        return self.description


class ActionUpdate(models.Model):
    """The log of an action: who changed what, when, with what evidence."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, blank=True)
    text = models.TextField(_("update"), max_length=TEXT_LIMIT, blank=True)
    evidence = models.TextField(_("evidence"), max_length=TEXT_LIMIT, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
