"""The closed actions' tally (followup.models.ClosedActionTally), kept as actions change.

A row holds the closed actions of one key (lead entity, region, deadline month, status) and their
benchmarks. Whatever changes how an action is counted recounts the keys it leaves and enters, under the
row's lock, so two actions closing at once both count: the services that close and reopen an action or meet
a benchmark (they write by compare-and-set, so they call `sync` and `benchmarks_changed` themselves), and
any other save or delete of an action or a benchmark (signals, connected in FollowupConfig.ready:
factories, the admin, demo data).
`recount` counts every closed action afresh: the nightly task and the bench's bulk data call it, and it
logs what it had to correct, so a write path that went around the tally is seen the next morning.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save

from .models import Action, Benchmark, ClosedActionTally, Plan
from .models.plans import benchmark_on_time_q
from .models.tally import CLOSED_STATUSES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Key:
    lead_entity_id: int
    region_id: int
    month: dt.date
    status: str


def _key(fields: tuple | None) -> Key | None:
    if fields is None:
        return None
    status, lead_entity_id, deadline, plan_id = fields
    if status not in CLOSED_STATUSES:
        return None
    region_id = Plan.objects.filter(pk=plan_id).values_list("country__region_id", flat=True).first()
    return None if region_id is None else Key(lead_entity_id, region_id, deadline.replace(day=1), status)


def _benchmark_counts() -> dict:
    return {"benchmarks": Count("pk"), "benchmarks_met": Count("pk", filter=Q(met_at__isnull=False)),
            "benchmarks_on_time": Count("pk", filter=benchmark_on_time_q())}


def _actions_of(key: Key) -> QuerySet:
    following = (key.month + dt.timedelta(days=31)).replace(day=1)
    return Action.objects.filter(status=key.status, lead_entity_id=key.lead_entity_id,
                                 plan__country__region_id=key.region_id, deadline__gte=key.month, deadline__lt=following)


def _recount_key(key: Key | None) -> None:
    if key is None:
        return
    with transaction.atomic():
        row, _ = ClosedActionTally.objects.get_or_create(
            lead_entity_id=key.lead_entity_id, region_id=key.region_id, month=key.month, status=key.status)
        # Locked before counting: a writer of the same key counts after this one commits, and sees its change.
        ClosedActionTally.objects.select_for_update().filter(pk=row.pk).exists()
        actions = _actions_of(key)
        figures = {"count": actions.count(),
                   **Benchmark.objects.filter(action__in=actions.values("pk")).aggregate(**_benchmark_counts())}
        ClosedActionTally.objects.filter(pk=row.pk).update(**figures)


def sync(action: Action, *, was: tuple | None = None, gone: bool = False) -> None:
    """Recount what the action was counted under (`was`, as the service read it; else as loaded) and what it
    is counted under now; nothing when it was open and still is. An action loaded with deferred fields and
    saved is left to the nightly recount."""
    was = was or action.counted_as
    now = None if gone else action.tally_fields()
    if was == now:
        return
    before, after = _key(was), _key(now)
    _recount_key(before)
    if after != before:
        _recount_key(after)
    action.counted_as = now


def recount() -> int:
    """Count every closed action and its benchmarks afresh and write the tally; the number of keys that
    were wrong."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Writers wait until the new counts are in, and the counts see every write committed before.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {ClosedActionTally._meta.db_table} IN EXCLUSIVE MODE")
        figures = ("count", "benchmarks", "benchmarks_met", "benchmarks_on_time")
        counted: dict[Key, dict] = {}
        closed = Action.objects.filter(status__in=CLOSED_STATUSES).order_by()
        for r in closed.values("lead_entity_id", "status", region=F("plan__country__region_id"),
                               month=TruncMonth("deadline")).annotate(count=Count("pk")):
            counted[Key(r["lead_entity_id"], r["region"], r["month"], r["status"])] = dict.fromkeys(figures, 0) | r
        for r in (Benchmark.objects.filter(action__in=closed.values("pk")).order_by()
                  .values(entity=F("action__lead_entity_id"), action_status=F("action__status"),
                          region=F("action__plan__country__region_id"), month=TruncMonth("action__deadline"))
                  .annotate(**_benchmark_counts())):
            counted[Key(r["entity"], r["region"], r["month"], r["action_status"])].update(r)
        wanted = {k: tuple(v[f] for f in figures) for k, v in counted.items()}
        kept = {Key(t.lead_entity_id, t.region_id, t.month, t.status): tuple(getattr(t, f) for f in figures)
                for t in ClosedActionTally.objects.all()}
        zero = (0,) * len(figures)
        wrong = {k for k in wanted.keys() | kept.keys() if wanted.get(k, zero) != kept.get(k, zero)}
        if wrong:
            ClosedActionTally.objects.all().delete()
            ClosedActionTally.objects.bulk_create(
                [ClosedActionTally(lead_entity_id=k.lead_entity_id, region_id=k.region_id, month=k.month, status=k.status,
                                   **dict(zip(figures, values, strict=True))) for k, values in wanted.items()],
                batch_size=1000)
    return len(wrong)


def recount_and_report() -> int:
    wrong = recount()
    if wrong:
        log.error("The closed actions' tally was wrong for %s keys and has been recounted: a write path "
                  "changes actions without followup.tally.sync.", wrong)
    return wrong


def _action_saved(sender, instance: Action, **kwargs) -> None:
    sync(instance)


def _action_deleted(sender, instance: Action, **kwargs) -> None:
    sync(instance, gone=True)


def benchmarks_changed(action_id: int) -> None:
    """One of the action's benchmarks was added, met or deleted: recount its key if the action is closed
    (benchmark_meet allows meeting one after the action closed; benchmark_add refuses closed actions)."""
    action = Action.objects.filter(pk=action_id, status__in=CLOSED_STATUSES).first()
    if action is not None:
        _recount_key(_key(action.tally_fields()))


def _benchmark_changed(sender, instance: Benchmark, **kwargs) -> None:
    benchmarks_changed(instance.action_id)


def connect() -> None:
    post_save.connect(_action_saved, sender=Action, dispatch_uid="followup.tally.action_saved")
    post_delete.connect(_action_deleted, sender=Action, dispatch_uid="followup.tally.action_deleted")
    post_save.connect(_benchmark_changed, sender=Benchmark, dispatch_uid="followup.tally.benchmark_saved")
    post_delete.connect(_benchmark_changed, sender=Benchmark, dispatch_uid="followup.tally.benchmark_deleted")
