"""The action rules in templates, which cannot pass the as-of day to a method: `a|overdue_on:today`."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def overdue_on(obj, as_of: dt.date) -> bool:
    """Action.is_overdue or Benchmark.is_overdue as of the given day (followup.models.plans)."""
    return obj.is_overdue(as_of)
