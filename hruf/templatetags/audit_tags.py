from django import template

from hruf.permissions import can_browse_audit, can_watch_operations

register = template.Library()


@register.simple_tag
def may_browse_audit(user) -> bool:
    """For the navigation: no query of its own, the user's scope is read once per request."""
    return can_browse_audit(user)


@register.simple_tag
def may_watch_operations(user) -> bool:
    return can_watch_operations(user)
