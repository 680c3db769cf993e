"""Writing the audit trail: who did what to which object, when, from where, and what changed.

Services call `audit_record` inside their own transaction, so an event exists exactly when its
change was committed. `audit_changes` turns before/after (model instances or dicts) into
{field: [before, after]}. Views call `audit_read_restricted` once per page that shows restricted
evidence; the exports app calls `audit_export`.

Who acted is always an argument (`actor`, None when the system itself acts: a sweep, a beat job),
never read from the request being served: a service called from a command, a task or a test
records exactly whom it was told.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import translation

from .client import client_address
from .models import AuditEvent, Country, User

Audit = AuditEvent.Action

# What the trail shows instead of a value it must not hold: a password hash, or restricted
# evidence (the trail is read by administrators, who may not read case evidence).
WITHHELD = "[withheld]"
# Case evidence and passwords are named as changed, never copied: administrators read the trail
# but may not read case content (an evidence text saved open may be restricted later).
_ALWAYS_WITHHELD = frozenset({"password", "evidence"})
# Bookkeeping that changes with every save and tells a reader nothing.
_NOISE = frozenset({"lock_version"})
_EMPTY = (None, "", [], {})

class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, models.Model):
            return str(o)
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _plain(value):
    """JSON-safe: dates as ISO text, lazy translations as text, objects by their name."""
    return json.loads(json.dumps(value, cls=_Encoder))


def audit_snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict:
    """An object's stored values (foreign keys by id), taken before a change is applied."""
    wanted = set(fields) if fields is not None else None
    return {
        f.name: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not f.primary_key and f.name not in _NOISE and (wanted is None or f.name in wanted)
    }


def _as_dict(value, fields: Iterable[str] | None) -> dict:
    if value is None:
        return {}
    if isinstance(value, models.Model):
        return audit_snapshot(value, fields)
    wanted = set(fields) if fields is not None else None
    return {k: v for k, v in value.items() if wanted is None or k in wanted}


def audit_changes(before, after, *, fields: Iterable[str] | None = None, redact: Iterable[str] = ()) -> dict:
    """{field: [before, after]} for every field that differs. `before` None is a creation and
    `after` None a deletion: then only the fields that hold something are listed. Fields in
    `redact` (and passwords) are shown as changed without their values."""
    if fields is None:  # a dict names the fields it is about; the other side is read for those only
        named = [set(v) for v in (before, after) if isinstance(v, Mapping)]
        fields = set().union(*named) if named else None
    old, new = _as_dict(before, fields), _as_dict(after, fields)
    hidden = _ALWAYS_WITHHELD | set(redact)
    changes = {}
    for name in [*new, *(k for k in old if k not in new)]:
        b, a = old.get(name), new.get(name)
        if b == a or (before is None and a in _EMPTY) or (after is None and b in _EMPTY):
            continue
        if name in hidden:
            b, a = (v if v in _EMPTY else WITHHELD for v in (b, a))
        changes[name] = [b, a]
    return _plain(changes)


def _actor_label(user) -> str:
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def _object_label(obj: models.Model | None) -> str:
    """The object's name in the trail, except for a restricted object (a restricted follow-up action is
    named by its title): administrators read the trail and may not read it. Type and id still say which."""
    if obj is None:
        return ""
    return WITHHELD if getattr(obj, "restricted", False) is True else str(obj)


def audit_record(
    *, actor: User | None, action: str, obj: models.Model | None = None, changes: Mapping | None = None,
    detail: Mapping | None = None, country: Country | int | None = None, request=None, label: str = "",
) -> AuditEvent:
    """Write one event. Call it inside the transaction of the change it describes.

    `actor` None is the system (a sweep, a beat job). The address is the `request`'s, when the
    caller has one to give. The country is taken from `obj.country_id` unless given."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    if country is None and obj is not None:
        country = getattr(obj, "country_id", None)
    if isinstance(country, Country):
        country = country.pk
    with translation.override(settings.LANGUAGE_CODE):  # one language in the trail, whoever acted
        object_label = label or _object_label(obj)
    return AuditEvent.objects.create(
        actor_id=actor.pk if actor is not None else None,
        actor_label=_actor_label(actor) if actor is not None else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(getattr(obj, "audit_id", obj.pk)) if obj is not None else "",
        object_label=object_label[:200],
        country_id=country,
        changes=_plain(dict(changes or {})),
        detail=_plain(dict(detail or {})),
        ip_address=client_address(request),
    )


def audit_read_restricted(*, request, obj: models.Model, detail: Mapping | None = None) -> AuditEvent:
    """A page has just shown restricted evidence to someone allowed to read it."""
    return audit_record(actor=request.user, action=Audit.READ_RESTRICTED, obj=obj, request=request, detail=detail)


def audit_export(
    *, actor, kind: str, fmt: str, filters, include_restricted: bool, rows: int,
    country: Country | int | None = None, request=None,
) -> AuditEvent:
    """An export was produced: what, in which format, filtered how, how many rows, and whether
    restricted evidence went out with it. (Briefing packs carry no evidence and are not recorded.)"""
    if hasattr(filters, "lists"):  # a QueryDict: keep repeated parameters
        filters = {k: v[0] if len(v) == 1 else v for k, v in filters.lists()}
    return audit_record(
        actor=actor, action=Audit.EXPORT, country=country, request=request, label=kind,
        detail={
            "kind": kind, "format": fmt, "filters": dict(filters or {}),
            "include_restricted": bool(include_restricted), "rows": rows,
        },
    )


# The object types the services write, offered as a filter on the audit page.
AUDITED_TYPES = (
    "scans.scan",
    "scans.caseindicator",
    "scans.alert",
    "reviews.meeting",
    "reviews.agendaitem",
    "followup.plan",
    "followup.action",
    "followup.benchmark",
    "hruf.user",
    "hruf.roleassignment",
)
