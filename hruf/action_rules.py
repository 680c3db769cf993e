"""Follow-up's open and overdue action rules, restated for the layers below it.

Follow-up is the top layer: scans (the silence rule) and reviews (the ranking, the packs) may not
import it, so they read its actions through Country's reverse relations with these conditions.
tests/reviews/test_action_rules_contract.py holds them equal to followup.models.plans (open_q,
overdue_q, OPEN_STATUSES), by value and on real rows.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

OPEN_ACTION_STATUSES = ("planned", "in_progress", "blocked")


def open_action_q(through: str = "") -> Q:
    """An open follow-up action (followup's Action.is_open): neither done nor cancelled."""
    return Q(**{f"{through}status__in": OPEN_ACTION_STATUSES})


def overdue_action_q(as_of: dt.date, through: str = "") -> Q:
    """Overdue as of a day (followup's Action.is_overdue): open, deadline before that day."""
    return open_action_q(through) & Q(**{f"{through}deadline__lt": as_of})
