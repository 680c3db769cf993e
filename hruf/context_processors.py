from django.utils.functional import SimpleLazyObject

from .permissions import can_view_dashboard, can_view_library


def inbox(request):
    """What the navigation shows on every page, queried only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_count": SimpleLazyObject(lambda: user.notifications.unread().count()),
        "shows_dashboard": SimpleLazyObject(lambda: can_view_dashboard(user)),
        "shows_library": SimpleLazyObject(lambda: can_view_library(user)),
    }
