"""Reads the follow-up pages and the API share."""

from __future__ import annotations

from django.http import Http404

from hruf.models import Country, User
from hruf.permissions import agenda_items_of_meetings_visible_to, alerts_visible_to, get_visible_or_404
from reviews.models import AgendaItem, Decision, Meeting
from scans.models import Alert


def plan_source(user: User, *, item_id: int | None, alert_id: int | None) -> tuple[Country, AgendaItem | None, Alert | None]:
    """What a new plan answers, fetched through the user's scope (404 outside it, or for none):
    a recorded decision to make a plan or to escalate that the user reads, or an alert."""
    if item_id:
        # Items the user reads, not every item of a meeting they see: another country's decision is a 404.
        decisions = agenda_items_of_meetings_visible_to(
            user, Meeting.objects.all(), AgendaItem.objects.filter(decision__in=[Decision.PLAN, Decision.ESCALATE])
        )
        item = get_visible_or_404(decisions.select_related("country__region", "meeting"), pk=item_id)
        return item.country, item, None
    if alert_id:
        alert = get_visible_or_404(alerts_visible_to(user, Alert.objects.select_related("country__region")), pk=alert_id)
        return alert.country, None, alert
    raise Http404
