from django.utils.functional import SimpleLazyObject


def inbox(request):
    """The unread count shown on every page, queried only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": SimpleLazyObject(lambda: user.notifications.unread().count())}
