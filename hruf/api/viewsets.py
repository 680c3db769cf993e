from rest_framework import status, viewsets
from rest_framework.response import Response


class ScopedMixin:
    """Every queryset goes through the permission module: `scope` is one of its
    `*_visible_to(user, queryset)` functions. `get_object` looks only inside the scoped
    queryset, so an id outside the user's scope answers 404 like one that does not exist."""

    scope = None  # e.g. staticmethod(permissions.scans_visible_to)

    def get_queryset(self):
        return type(self).scope(self.request.user, super().get_queryset())


class ScopedReadOnlyViewSet(ScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


def created(data, location: str) -> Response:
    """201 with the new object as its own endpoint shows it, and its address in Location
    (document it with hruf.api.schema.LOCATION)."""
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})
