"""The home page's sections for EOSG and action owners (the chair's and the SAG member's are in
reviews/home_sections.py). Each list is cut at HOME_ROWS with a link to its full page and costs a fixed
number of queries, however much data there is."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from hruf.country_names import name_in
from hruf.models import Country, Region
from hruf.permissions import actions_visible_to, commitments_visible_to, warnings_visible_to
from hruf.recipients import chair_roles, officer_roles
from hruf.translated import collation_key
from reviews.home_sections import HOME_ROWS
from reviews.models import Commitment, without_records
from scans.models import EarlyWarning

from .dashboard import oldest_overdue
from .models import Action, ActionStatus
from .models.plans import late_q

EOSG_STEP = 3  # Action.overdue_step once the overdue ladder has told EOSG (enforcement.ladder_step)


def eosg_section(user, today: dt.date) -> dict:
    """What waits for EOSG: warnings nobody acknowledged in time, actions whose overdue ladder reached
    EOSG, decisions whose commitment is overdue, and who would hear of nothing (coverage gaps)."""
    now = timezone.now()
    warnings = warnings_visible_to(user, EarlyWarning.objects.past_deadline(now))
    actions = actions_visible_to(user, Action.objects.filter(overdue_step__gte=EOSG_STEP))
    commitments = commitments_visible_to(user, Commitment.objects.overdue(now))
    # Who would hear of a country: hruf.recipients' own rule (active officers, active chairs).
    countries = sorted((name_in(iso3, name) for iso3, name in Country.objects.exclude(
        pk__in=officer_roles().filter(country__isnull=False).values("country_id")).values_list("iso3", "name")),
        key=collation_key)
    regions = sorted(Region.objects.exclude(pk__in=chair_roles().filter(region__isnull=False).values("region_id")),
                     key=lambda region: collation_key(str(region)))
    return {
        "warnings": list(warnings.select_related("country").for_attention()[:HOME_ROWS + 1]),
        "actions": oldest_overdue(actions, today, HOME_ROWS + 1),
        "commitments": list(commitments.select_related("item__country", "item__meeting__region")
                            .defer(*without_records(item="item__", meeting="item__meeting__"))
                            .order_by("due_at", "pk")[:HOME_ROWS + 1]),
        "countries_without_officer": countries,
        "regions_without_chair": regions,
        "now": now,
        "today": today,
        "rows": HOME_ROWS,
    }


def owner_section(user, today: dt.date) -> dict:
    """The owner's open actions, most urgent first: late, then blocked, then by the next date due."""
    soon = today + dt.timedelta(days=settings.FOLLOWUP_DUE_SOON_DAYS)
    actions = (
        Action.objects.open().filter(owner=user).with_next_due()
        .annotate(urgency=Case(
            When(late_q(today), then=Value(0)),
            When(status=ActionStatus.BLOCKED, then=Value(1)),
            When(next_due_date__lte=soon, then=Value(2)),
            default=Value(3), output_field=IntegerField(),
        ))
        .select_related("plan__country")
        .order_by("urgency", "next_due_date", "pk")
    )
    return {"actions": list(actions[:HOME_ROWS + 1]), "rows": HOME_ROWS, "today": today}
