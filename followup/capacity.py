"""Prevention capacity against risk (the report behind HRuF, recommendation 15: "the relative risk of mass
atrocities should guide decisions about where to deploy surge support").

`deployment_save` keeps the register (EOSG), refusing a deployment that ends before it starts, one that
overlaps another of the same kind and entity in the same country, and a requesting action of another
country; an arrival recorded on a deployment an action asked for is written in that action's log, which
closes the loop. `surge_board` ranks the countries a person reads by risk against the capacity there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hruf.audit import Audit, audit_changes, audit_record, audit_snapshot
from hruf.concurrency import bump
from hruf.models import Country, User
from hruf.permissions import can_keep_capacity, countries_visible_to
from scans.scoring import Tier
from scans.selectors import with_latest_scores

from . import action_log
from .models import ActionUpdate, Deployment
from .services import FollowupError, InvalidInput

HIGH_TIERS = (Tier.HIGH, Tier.VERY_HIGH)
ENDS_BEFORE_START = _lazy("The deployment ends before it starts.")
ENDING_SOON_DAYS = 90
_FIELDS = ["country", "kind", "entity", "starts_on", "ends_on", "arrived_on", "requested_by", "notes"]
_COLUMNS = [Deployment._meta.get_field(name).attname for name in _FIELDS]  # country_id for country, ...


def _errors(d: Deployment) -> dict[str, str]:
    errors = {}
    if d.ends_on is not None and d.ends_on < d.starts_on:
        errors["ends_on"] = str(ENDS_BEFORE_START)
    if d.arrived_on is not None and d.ends_on is not None and d.arrived_on > d.ends_on:
        errors["arrived_on"] = _("It cannot arrive after it ends.")
    if d.requested_by_id and d.requested_by.plan.country_id != d.country_id:
        errors["requested_by"] = _("That action is for another country.")
    if "ends_on" not in errors:
        other = (Deployment.objects.filter(country_id=d.country_id, kind=d.kind, entity_id=d.entity_id)
                 .exclude(pk=d.pk).overlapping(d.starts_on, d.ends_on).first())
        if other is not None:
            params = {"kind": other.get_kind_display(), "entity": other.entity, "country": other.country,
                      "start": other.starts_on.isoformat(), "end": other.ends_on.isoformat() if other.ends_on else ""}
            errors["starts_on"] = (_(
                "%(kind)s of %(entity)s is already in the register for %(country)s from %(start)s until %(end)s: "
                "change that one instead, or give dates that do not overlap.") if other.ends_on else _(
                "%(kind)s of %(entity)s is already in the register for %(country)s from %(start)s, open-ended: "
                "change that one instead, or give dates that do not overlap.")) % params
    return errors


def deployment_save(*, deployment: Deployment, actor: User, lock_version: int | None = None) -> Deployment:
    """Add (no pk) or change a deployment, with the values already set on it. Refusals name their field."""
    if not can_keep_capacity(actor):
        raise FollowupError(_("Only EOSG keeps the register of deployed capacity."))
    errors = _errors(deployment)
    if errors:
        raise InvalidInput(errors)
    creating = deployment.pk is None
    with transaction.atomic():
        if creating:
            before, arrived_before = None, None
            deployment.created_by = actor
            deployment.save()
        else:
            stored = Deployment.objects.get(pk=deployment.pk)
            before, arrived_before = audit_snapshot(stored, _FIELDS), stored.arrived_on
            bump(deployment, lock_version=lock_version if lock_version is not None else -1,
                 **{column: getattr(deployment, column) for column in _COLUMNS})
        audit_record(actor=actor, action=Audit.UPDATE if before else Audit.CREATE, obj=deployment,
                     changes=audit_changes(before, deployment, fields=_FIELDS))
        if deployment.arrived_on and arrived_before is None and deployment.requested_by_id:
            ActionUpdate.objects.create(
                action=deployment.requested_by, author=actor,
                code=action_log.DEPLOYMENT_ARRIVED, params={
                    "date": deployment.arrived_on.isoformat(), "kind": deployment.kind, "entity": deployment.entity.code},
            )
    return deployment


# --- the surge board ---------------------------------------------------------------------------------


@dataclass
class BoardRow:
    country: Country
    present: list[Deployment] = field(default_factory=list)  # arrived, not ended
    coming: list[Deployment] = field(default_factory=list)  # in the register, not arrived yet
    ending_soon: bool = False

    @property
    def high(self) -> bool:
        return self.country.last_tier in HIGH_TIERS

    @property
    def rising(self) -> bool:
        return (self.country.score_change or 0) > 0

    @property
    def priority(self) -> int:
        """0 high risk and rising with no capacity; 1 high risk with none; 2 high risk whose capacity ends
        within ENDING_SOON_DAYS; 3 high risk with capacity; 4 lower risk with capacity; 5 the rest."""
        if self.high:
            if not self.present:
                return 0 if self.rising else 1
            return 2 if self.ending_soon else 3
        return 4 if self.present else 5


def surge_board(user: User, today: dt.date) -> list[BoardRow]:
    """The countries the user reads that have a score or capacity, most in need of capacity first (by
    priority, then score). Two queries."""
    current = Deployment.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).select_related("entity")
    countries = (with_latest_scores(countries_visible_to(user))
                 .prefetch_related(Prefetch("deployments", queryset=current, to_attr="current")))
    soon = today + dt.timedelta(days=ENDING_SOON_DAYS)
    rows = []
    for country in countries:
        if country.last_score is None and not country.current:
            continue
        present = [d for d in country.current if d.arrived_on is not None and d.arrived_on <= today]
        rows.append(BoardRow(
            country=country, present=present, coming=[d for d in country.current if d not in present],
            ending_soon=any(d.ends_on is not None and d.ends_on <= soon for d in present),
        ))
    return sorted(rows, key=lambda r: (r.priority, -(r.country.last_score or 0), r.country.name))
