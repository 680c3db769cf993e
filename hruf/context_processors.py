from django.utils.functional import SimpleLazyObject

from .notifications import unread_count
from .permissions import can_view_dashboard, can_view_library, scope_of


def inbox(request):
    """What the navigation shows on every page, queried only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_count": SimpleLazyObject(lambda: unread_count(user)),
        "shows_dashboard": SimpleLazyObject(lambda: can_view_dashboard(user)),
        "shows_library": SimpleLazyObject(lambda: can_view_library(user)),
        # The surge board: EOSG and the SAG (every country), chairs (their regions).
        "shows_surge_board": SimpleLazyObject(
            lambda: scope_of(user).reads_everything or bool(scope_of(user).chair_regions)),
    }
