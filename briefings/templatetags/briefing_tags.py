from django import template

from hruf.permissions import can_see_briefings

register = template.Library()


@register.simple_tag
def may_see_briefings(user) -> bool:
    """For the navigation: no query of its own, the user's scope is read once per request."""
    return bool(user and user.is_authenticated and can_see_briefings(user))
