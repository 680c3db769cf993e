"""What each export reads: querysets scoped by hruf.permissions, then narrowed by the user's filters.

Scope comes first and filters only narrow it, so a forged country or region id never widens what
comes out. Each kind has one date column the period and date range apply to:
scans the first day of their period, alerts the day raised, actions their deadline, review records
the meeting's date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from followup.models import Action
from hruf.permissions import (
    actions_visible_to,
    agenda_items_of_meetings_visible_to,
    alerts_visible_to,
    scans_visible_to,
)
from reviews.models import AgendaItem, Meeting
from scans.models import Alert, Rating, Scan
from scans.periods import Period


@dataclass(frozen=True)
class Filters:
    country_id: int | None = None
    region_id: int | None = None
    period: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def to_json(self) -> dict:
        return {
            "country": self.country_id,
            "region": self.region_id,
            "period": self.period,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> Filters:
        def day(key):
            return dt.date.fromisoformat(data[key]) if data.get(key) else None

        return cls(
            country_id=data.get("country") or None,
            region_id=data.get("region") or None,
            period=data.get("period") or "",
            date_from=day("date_from"),
            date_to=day("date_to"),
        )

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        """The period and the dates together: the days that are in both."""
        first, last = self.date_from, self.date_to
        if self.period:
            period = Period.parse(self.period)
            first = max(first, period.start) if first else period.start
            last = min(last, period.end) if last else period.end
        return first, last


def _narrow(qs: QuerySet, filters: Filters, *, country: str, day: str) -> QuerySet:
    """`country` is the path to the row's country, `day` the path to its date column."""
    if filters.country_id:
        qs = qs.filter(**{f"{country}_id": filters.country_id})
    if filters.region_id:
        qs = qs.filter(**{f"{country}__region_id": filters.region_id})
    first, last = filters.date_range()
    if first:
        qs = qs.filter(**{f"{day}__gte": first})
    if last:
        qs = qs.filter(**{f"{day}__lte": last})
    return qs


def ratings_for_export(user, filters: Filters) -> QuerySet:
    """Ratings of the submitted revision of every scan the user may read (drafts are never exported)."""
    scans = _narrow(scans_visible_to(user, Scan.objects.submitted()), filters, country="country", day="period_start")
    return Rating.objects.filter(revision_id__in=scans.values("submitted_revision_id"))


def alerts_for_export(user, filters: Filters) -> QuerySet:
    return _narrow(alerts_visible_to(user, Alert.objects.all()), filters, country="country", day="raised_at__date")


def actions_for_export(user, filters: Filters) -> QuerySet:
    # actions_visible_to may join and DISTINCT; as a subquery it leaves the outer query free to annotate.
    visible = actions_visible_to(user, Action.objects.all()).values("pk")
    return _narrow(Action.objects.filter(pk__in=visible), filters, country="plan__country", day="deadline")


def records_for_export(user, filters: Filters) -> QuerySet:
    """Recorded decisions of published meetings: items on the agenda with a decision taken."""
    items = agenda_items_of_meetings_visible_to(
        user, Meeting.objects.exclude(state=Meeting.State.PREPARATION), AgendaItem.objects.all()
    )
    items = items.filter(included=True).exclude(decision="")
    return _narrow(items, filters, country="country", day="meeting__date")


__all__ = ["Filters", "actions_for_export", "alerts_for_export", "ratings_for_export", "records_for_export"]
