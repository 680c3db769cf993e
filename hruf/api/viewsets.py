from rest_framework import viewsets


class ScopedMixin:
    """Every queryset goes through the permission module: `scope` is one of its
    `*_visible_to(user, queryset)` functions. `get_object` looks only inside the scoped
    queryset, so an id outside the user's scope answers 404 like one that does not exist."""

    scope = None  # e.g. staticmethod(permissions.scans_visible_to)

    def get_queryset(self):
        return type(self).scope(self.request.user, super().get_queryset())


class ScopedReadOnlyViewSet(ScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass
