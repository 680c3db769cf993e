"""Compare-and-set writes: the one way a service or a sweep changes a row it read earlier.

`compare_and_set` updates a row only if it still holds the values it was read with, and says
whether it won. Two requests (two tabs, two workers, a duplicate beat) that read the same row
cannot both win: the second UPDATE matches nothing, on SQLite and PostgreSQL alike, without
`select_for_update` (which SQLite ignores).

`bump` is the same on a form's `lock_version`: the holder of the latest page wins, a stale one
is refused with `StaleEdit`, which every page answers with its conflict message and the API
with 409 (hruf.api.errors.service_refusals).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _


class StaleEdit(Exception):
    """Someone saved the object since this person read it; nothing of theirs was written.

    The message says what moved on (a scan, an agenda, an action): each caller names it."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or _("Someone else changed this since you opened it; nothing of yours was saved. "
                 "Reload the page to see their change, then make yours again.")
        )


def compare_and_set(
    rows: type[models.Model] | models.QuerySet, *, pk, expected: Mapping | None = None, new: Mapping,
    where: Q | None = None,
) -> bool:
    """UPDATE the row `pk` to `new` only if it still matches `expected` (and `where`); True if it did.

    `rows` is a model or a queryset narrowing it (an "open" rule, say): a row that has left it
    since it was read is not written either."""
    queryset = rows._default_manager.all() if isinstance(rows, type) else rows
    if where is not None:
        queryset = queryset.filter(where)
    return bool(queryset.filter(pk=pk, **dict(expected or {})).update(**new))


def bump(
    obj: models.Model, *, lock_version: int, message: str | None = None, expected: Mapping | None = None,
    where: Q | None = None, **new,
) -> None:
    """Write `new` to `obj` and add one to its lock_version, if its lock_version is still the one
    the person read (and it still matches `expected` and `where`); otherwise raise StaleEdit and
    write nothing. On success `obj` holds the new values, so the caller may go on using it."""
    won = compare_and_set(
        type(obj), pk=obj.pk, expected={**dict(expected or {}), "lock_version": lock_version},
        new={**new, "lock_version": F("lock_version") + 1}, where=where,
    )
    if not won:
        raise StaleEdit(message)
    setattr(obj, "lock_version", lock_version + 1)  # noqa: B010 - any model with the field
    for name, value in new.items():
        setattr(obj, name, value)
