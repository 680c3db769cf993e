from django import template

from hruf.permissions import scope_of, warnings_to_acknowledge_by

from ..clock import duration_text
from ..models import EarlyWarning

register = template.Library()


@register.simple_tag
def warnings_waiting_for(user) -> int | None:
    """For the navigation: how many warnings wait for this user's acknowledgement; None (and no
    query) for those who acknowledge none (only chairs and EOSG do)."""
    s = scope_of(user)
    if not (s.is_eosg or s.chair_regions):
        return None
    return warnings_to_acknowledge_by(user, EarlyWarning.objects.unacknowledged()).count()


@register.filter
def duration(value):
    """A clock figure (scans.clock) in hours under two days, in days beyond."""
    return duration_text(value)
