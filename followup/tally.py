"""The closed actions' tally (followup.models.ClosedActionTally), kept as actions change.

Every write that can change how an action is counted goes through `sync`: the services that close and
reopen an action (they write by compare-and-set, so they call it themselves), and any other save or
delete of an action (signals, connected in FollowupConfig.ready: factories, the admin, demo data).
`recount` counts every closed action afresh: the nightly task and the data migration call it, and it
logs what it had to correct, so a write path that forgot the tally is seen the next morning.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save

from .models import Action, ClosedActionTally, Plan
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


def _add(key: Key | None, n: int) -> None:
    if key is None:
        return
    with transaction.atomic():  # a savepoint: a concurrent first count of the same key is read back, not lost
        row, _ = ClosedActionTally.objects.get_or_create(
            lead_entity_id=key.lead_entity_id, region_id=key.region_id, month=key.month, status=key.status)
    # Added in the database, so two actions closing at once both count.
    ClosedActionTally.objects.filter(pk=row.pk).update(count=F("count") + n)


def sync(action: Action, *, was: tuple | None = None, gone: bool = False) -> None:
    """Move the action's count from what it was counted as (`was`, the service read it; else as loaded) to
    what it is now; nothing when it was open and still is. An action loaded with deferred fields and saved
    is left to the nightly recount."""
    was = was or getattr(action, "counted_as", None)
    now = None if gone else action.tally_fields()
    if was == now:
        return
    before, after = _key(was), _key(now)
    if before != after:
        _add(before, -1)
        _add(after, 1)
    action.counted_as = now


def recount() -> int:
    """Count every closed action afresh and write the tally; the number of keys that were wrong."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Writers wait until the new counts are in, and the counts see every write committed before.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {ClosedActionTally._meta.db_table} IN EXCLUSIVE MODE")
        counted = {
            Key(r["lead_entity_id"], r["region"], r["month"], r["status"]): r["n"]
            for r in Action.objects.filter(status__in=CLOSED_STATUSES).order_by()
            .values("lead_entity_id", "status", region=F("plan__country__region_id"), month=TruncMonth("deadline"))
            .annotate(n=Count("pk"))
        }
        kept = {Key(t.lead_entity_id, t.region_id, t.month, t.status): t.count for t in ClosedActionTally.objects.all()}
        wrong = {k for k in counted.keys() | kept.keys() if counted.get(k, 0) != kept.get(k, 0)}
        if wrong:
            ClosedActionTally.objects.all().delete()
            ClosedActionTally.objects.bulk_create(
                [ClosedActionTally(lead_entity_id=k.lead_entity_id, region_id=k.region_id, month=k.month, status=k.status,
                                   count=n) for k, n in counted.items()], batch_size=1000)
    return len(wrong)


def _saved(sender, instance: Action, **kwargs) -> None:
    sync(instance)


def _deleted(sender, instance: Action, **kwargs) -> None:
    sync(instance, gone=True)


def connect() -> None:
    post_save.connect(_saved, sender=Action, dispatch_uid="followup.tally.saved")
    post_delete.connect(_deleted, sender=Action, dispatch_uid="followup.tally.deleted")


def recount_and_report() -> int:
    wrong = recount()
    if wrong:
        log.error("The closed actions' tally was wrong for %s keys and has been recounted: a write path "
                  "changes actions without followup.tally.sync.", wrong)
    return wrong
