"""The action rules in templates, which cannot pass the as-of day to a method (`a|overdue_on:today`), and an
action log entry in the reader's language (`u|log_line`)."""

import datetime as dt

from django import template

from followup import action_log

register = template.Library()


@register.filter
def log_line(update) -> str:
    return action_log.log_line(update)


@register.filter
def overdue_on(obj, as_of: dt.date) -> bool:
    """Action.is_overdue or Benchmark.is_overdue as of the given day (followup.models.plans)."""
    return obj.is_overdue(as_of)
