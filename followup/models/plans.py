"""Follow-up plans: actions with owners, deadlines and benchmarks, and the log of their updates."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Least, TruncDate
from django.utils.translation import gettext_lazy as _

from hruf.encryption import EncryptedTextField
from hruf.models import Country, Entity
from reviews.models import AgendaItem
from scans.models import Alert
from scans.scoring import Tier

from .library import ActionTemplate

TEXT_LIMIT = 5000


class Helped(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Too early to tell")


class PlanQuerySet(models.QuerySet):
    def awaiting_outcome(self) -> "PlanQuerySet":
        """Not closed, with actions, none of them open: each annotated with all_closed_at, when its
        last action was closed (the outcome is due PLAN_OUTCOME_DAYS later)."""
        return (
            self.filter(closed_at__isnull=True)
            .annotate(open_actions=Count("actions", filter=open_q("actions__")), all_closed_at=Max("actions__closed_at"))
            .filter(open_actions=0, all_closed_at__isnull=False)
        )


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
    # The country's last submitted score and tier when the plan was adopted, and when it closed:
    # filled in by the app (followup.services), never typed.
    adoption_score = models.PositiveSmallIntegerField(_("score at adoption"), null=True, blank=True)
    adoption_tier = models.CharField(_("tier at adoption"), max_length=10, choices=Tier.choices, blank=True)
    # Closing: by the plan's region chair or EOSG once every action is done or cancelled, with an outcome.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("closed by"),
    )
    closing_score = models.PositiveSmallIntegerField(_("score at closing"), null=True, blank=True)
    closing_tier = models.CharField(_("tier at closing"), max_length=10, choices=Tier.choices, blank=True)
    actions_on_time = models.PositiveSmallIntegerField(_("actions done on time"), null=True, blank=True)
    actions_late = models.PositiveSmallIntegerField(_("actions done late"), null=True, blank=True)
    actions_cancelled = models.PositiveSmallIntegerField(_("actions cancelled"), null=True, blank=True)
    outcome = models.TextField(_("what happened"), max_length=TEXT_LIMIT, blank=True)
    helped = models.CharField(_("did it help?"), max_length=8, choices=Helped.choices, blank=True)
    # The chase of a missing outcome (followup.outcome_sweeps): 0 none yet, 1 the chair, 2 EOSG.
    outcome_step = models.PositiveSmallIntegerField(default=0)
    lock_version = models.PositiveIntegerField(default=0)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("follow-up plan")
        # The API pages plans by keyset in this order (hruf.api.pagination.keyset).
        indexes = [models.Index(fields=["-created_at", "-id"], name="plan_newest")]
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

# The life cycle of an action, the one home of its rule (Action.can_move_to reads it). The owner
# moves an open action forward, or keeps its status to add a note; done and cancelled are closed,
# and only the plan's region chair or EOSG reopen one, back to in progress, with a reason.
OWNER_MOVES: dict[str, frozenset[str]] = {
    ActionStatus.PLANNED: frozenset({ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED, ActionStatus.DONE,
                                     ActionStatus.CANCELLED}),
    ActionStatus.IN_PROGRESS: frozenset({ActionStatus.BLOCKED, ActionStatus.DONE, ActionStatus.CANCELLED}),
    ActionStatus.BLOCKED: frozenset({ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED}),
    ActionStatus.DONE: frozenset(),
    ActionStatus.CANCELLED: frozenset(),
}
REOPEN_MOVES: dict[str, frozenset[str]] = {
    ActionStatus.DONE: frozenset({ActionStatus.IN_PROGRESS}),
    ActionStatus.CANCELLED: frozenset({ActionStatus.IN_PROGRESS}),
}
# A cancelled action must say why, in earnest: at least this many characters other than spaces.
CANCEL_REASON_MIN_CHARS = 15
# A plan's outcome ("what happened") likewise.
OUTCOME_MIN_CHARS = 15


def meaningful_length(text: str) -> int:
    """Characters that are not white space: what a reason's minimum length counts."""
    return sum(1 for c in text if not c.isspace())


# The action rules, each defined once below and called everywhere else (the as-of date is
# always passed in: a briefing or a ranking looks at a past day, not at today). The Q builders
# serve counts that filter inside an aggregate; the QuerySet and model methods are built on them.


def open_q(through: str = "") -> Q:
    """Open: neither done nor cancelled. `through` reaches the action from another model ("actions__")."""
    return Q(**{f"{through}status__in": OPEN_STATUSES})


def overdue_q(as_of: dt.date) -> Q:
    """Overdue as of a day: open, and its deadline passed before that day (due that day is not late)."""
    return open_q() & Q(deadline__lt=as_of)


def due_within_q(as_of: dt.date, days: int) -> Q:
    """Falling due in the coming `days` days: open, deadline from `as_of` to `as_of + days` inclusive."""
    return open_q() & Q(deadline__gte=as_of, deadline__lte=as_of + dt.timedelta(days=days))


def late_q(as_of: dt.date) -> Q:
    """Late as of a day: open and next due (see ActionQuerySet.with_next_due) before that day, so
    either the action or one of its unmet benchmarks is overdue."""
    return open_q() & Q(next_due_date__lt=as_of)


def overdue_days(*, status: str, deadline: dt.date, as_of: dt.date) -> int:
    """How many days an action is overdue as of a day (0 when it is not): for rows read as values."""
    return (as_of - deadline).days if status in OPEN_STATUSES and deadline < as_of else 0


def on_time_q() -> Q:
    """Done on time: done by the end of the first deadline it was given (an extension does not make a
    late action timely). On actions annotated by ActionQuerySet.with_timeliness()."""
    return Q(status=ActionStatus.DONE, completed_on__lte=F("first_deadline"))


class ActionQuerySet(models.QuerySet):
    def open(self) -> "ActionQuerySet":
        return self.filter(open_q())

    def with_timeliness(self) -> "ActionQuerySet":
        """Annotate first_deadline (before any extension) and completed_on (the local day it was done)."""
        first = DeadlineChange.objects.filter(action=OuterRef("pk")).order_by("created_at", "pk")
        return self.annotate(
            first_deadline=Coalesce(Subquery(first.values("old_deadline")[:1]), F("deadline")),
            completed_on=TruncDate("completed_at"),
        )

    def tally(self) -> dict[str, int]:
        """How many were done on time, done late and cancelled (one query)."""
        on_time = on_time_q()
        return self.with_timeliness().aggregate(
            on_time=Count("pk", filter=on_time),
            late=Count("pk", filter=Q(status=ActionStatus.DONE) & ~on_time),
            cancelled=Count("pk", filter=Q(status=ActionStatus.CANCELLED)),
        )

    def overdue(self, as_of: dt.date) -> "ActionQuerySet":
        return self.filter(overdue_q(as_of))

    def due_within(self, as_of: dt.date, days: int) -> "ActionQuerySet":
        return self.filter(due_within_q(as_of, days))

    def with_next_due(self) -> "ActionQuerySet":
        """Annotate next_benchmark (the due date of the first unmet benchmark) and next_due_date
        (the earlier of it and the deadline: a benchmark falling due first makes the action due
        then, and the sweeps chase it too)."""
        first_unmet = Benchmark.objects.filter(action=OuterRef("pk"), met_at__isnull=True).order_by("due_date", "pk")
        return self.annotate(next_benchmark=Subquery(first_unmet.values("due_date")[:1])).annotate(
            next_due_date=Least(F("deadline"), Coalesce(F("next_benchmark"), F("deadline")))
        )

    def late(self, as_of: dt.date) -> "ActionQuerySet":
        """Open and next due before `as_of`: the action or one of its unmet benchmarks is overdue
        (the owner's "Overdue" section)."""
        return self.with_next_due().filter(late_q(as_of))


class Action(models.Model):
    """One preventive action of a plan, with an owner, a deadline and benchmarks.

    Definitions (DOMAIN.md's terms; each rule is a method here with its QuerySet twin):
    - open (`is_open`, `open()`): neither done nor cancelled, that is planned, in progress or blocked;
    - overdue as of a day (`is_overdue(as_of)`, `overdue(as_of)`): open and its deadline is before
      that day; an action due today is not overdue yet;
    - due within n days (`is_due_within(as_of, n)`, `due_within(as_of, n)`): open, deadline from that
      day to n days later inclusive;
    - next due (`next_due()`, `with_next_due()`): the earlier of the deadline and the due date of its
      first unmet benchmark; "late" (`late(as_of)`) is an open action whose next due has passed, so
      either it or one of its benchmarks is overdue;
    - a benchmark is pending (`is_pending`, `pending()`) while unmet and its action open, and
      overdue (`is_overdue(as_of)`, `overdue(as_of)`) when pending and its due date is before that day.
    Rankings and briefings pass the day they look at, never today by default.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan"))
    template = models.ForeignKey(
        ActionTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions",
        verbose_name=_("template"),
    )
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
    # When it was last done or cancelled (empty while open): a plan's outcome falls due from its last one.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Enforcement state, advanced only by compare-and-set in followup.enforcement.
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    overdue_step = models.PositiveSmallIntegerField(_("escalation step"), default=0)
    lock_version = models.PositiveIntegerField(default=0)

    objects = ActionQuerySet.as_manager()
    # What followup.tally last counted it as (Action.tally_fields), kept on the instance only.
    counted_as: tuple | None = None

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            models.Index(fields=["status", "deadline"], name="action_open_by_deadline"),
            # The API pages actions by keyset in this order (hruf.api.pagination.keyset).
            models.Index(fields=["deadline", "id"], name="action_by_deadline"),
            # Partial indexes on the open actions, about a tenth of them as the years pass: the
            # dashboard's oldest overdue and pending benchmarks, and the plans still open.
            models.Index(fields=["deadline", "id"], condition=open_q(), name="action_open_deadline"),
            models.Index(fields=["plan"], condition=open_q(), name="action_open_plan"),
            # The dashboard's median time to completion reads the last year's completions only.
            models.Index(fields=["completed_at"], condition=Q(status="done"), name="action_done_by_completion"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # As stored: what followup.tally counted it as, to move the count when it changes.
        instance.counted_as = instance.tally_fields()
        return instance

    def tally_fields(self) -> tuple | None:
        """What the closed actions' tally counts this action by (None while a field is deferred)."""
        values = tuple(self.__dict__.get(name) for name in ("status", "lead_entity_id", "deadline", "plan_id"))
        return None if None in values else values

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, as_of: dt.date) -> bool:
        return self.is_open and self.deadline < as_of

    def allowed_moves(self, *, by_owner: bool = True) -> list[str]:
        """The statuses it may move to, in ActionStatus order: the owner's moves (keeping an open
        status to add a note counts), or the reopening that only the plan's chair or EOSG may do."""
        if by_owner:
            allowed = OWNER_MOVES[self.status] | ({self.status} if self.is_open else set())
        else:
            allowed = REOPEN_MOVES.get(self.status, frozenset())
        return [s for s in ActionStatus.values if s in allowed]

    def can_move_to(self, status: str, *, by_owner: bool = True) -> bool:
        return status in self.allowed_moves(by_owner=by_owner)

    def is_due_within(self, as_of: dt.date, days: int) -> bool:
        return self.is_open and as_of <= self.deadline <= as_of + dt.timedelta(days=days)

    def days_overdue(self, as_of: dt.date) -> int:
        return overdue_days(status=self.status, deadline=self.deadline, as_of=as_of)

    def next_due(self) -> dt.date:
        """As annotated by with_next_due(), or read from the benchmarks (prefetched or queried)."""
        if hasattr(self, "next_due_date"):
            return self.next_due_date
        unmet = [b.due_date for b in self.benchmarks.all() if b.met_at is None]
        return min([self.deadline, *unmet])

    def is_late(self, as_of: dt.date) -> bool:
        return self.is_open and self.next_due() < as_of


def benchmark_pending_q() -> Q:
    """Pending: unmet, its action open (a closed action's unmet benchmark is no longer waited for).
    Through the open actions' ids, read from their partial index, rather than a join of every
    benchmark to its action."""
    return Q(met_at__isnull=True) & Q(action_id__in=Action.objects.open().values("pk"))


def benchmark_on_time_q() -> Q:
    """Met on time: met on or before its due date (the day it was met, in the server's time zone)."""
    return Q(met_at__isnull=False, met_at__date__lte=F("due_date"))


def benchmark_overdue_q(as_of: dt.date) -> Q:
    """Overdue as of a day: pending, and its due date passed before that day."""
    return benchmark_pending_q() & Q(due_date__lt=as_of)


class BenchmarkQuerySet(models.QuerySet):
    def pending(self) -> "BenchmarkQuerySet":
        return self.filter(benchmark_pending_q())

    def overdue(self, as_of: dt.date) -> "BenchmarkQuerySet":
        return self.filter(benchmark_overdue_q(as_of))

    def due_within(self, as_of: dt.date, days: int) -> "BenchmarkQuerySet":
        return self.pending().filter(due_date__gte=as_of, due_date__lte=as_of + dt.timedelta(days=days))


class Benchmark(models.Model):
    """A measurable milestone of an action, with its own due date and the evidence that it was met.

    Definitions: pending (`is_pending`, `pending()`) while unmet and its action open; overdue as of
    a day (`is_overdue(as_of)`, `overdue(as_of)`) when pending and its due date is before that day.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="benchmarks", verbose_name=_("action"))
    description = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("due date"), db_index=True)
    evidence_required = models.BooleanField(_("evidence required to close the action"), default=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    evidence = EncryptedTextField(_("evidence that it was met"), max_length=TEXT_LIMIT, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    overdue_step = models.PositiveSmallIntegerField(default=0)

    objects = BenchmarkQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("benchmark")
        verbose_name_plural = _("benchmarks")
        # The API pages benchmarks by keyset in this order (hruf.api.pagination.keyset).
        indexes = [models.Index(fields=["due_date", "id"], name="benchmark_by_due_date")]

    def __str__(self) -> str:
        return self.description

    @property
    def restricted(self) -> bool:
        """As its action: what the audit trail withholds from its label."""
        return self.action.restricted

    @property
    def is_pending(self) -> bool:
        return self.met_at is None and self.action.is_open

    def is_overdue(self, as_of: dt.date) -> bool:
        return self.is_pending and self.due_date < as_of


class ActionUpdate(models.Model):
    """The log of an action: who changed what, when, with what evidence."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, blank=True)
    # What the app logs on its own (followup/action_log.py), rendered in each reader's language; what a
    # person writes goes in `text`, kept as written.
    code = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    text = models.TextField(_("update"), max_length=TEXT_LIMIT, blank=True)
    evidence = EncryptedTextField(_("evidence"), max_length=TEXT_LIMIT, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        # Never the text or evidence: a restricted action's log must not leak through a label.
        return f"update {self.pk} of action {self.action_id}"


class DeadlineChange(models.Model):
    """A deadline moved later by the plan's chair or EOSG: the missed date stays in the history."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="deadline_changes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    old_deadline = models.DateField(_("previous deadline"))
    new_deadline = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"), max_length=TEXT_LIMIT)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")

    def __str__(self) -> str:
        # Never the reason: a restricted action's history must not leak through a label.
        return f"deadline change {self.pk} of action {self.action_id}"
