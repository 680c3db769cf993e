from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination


class _ChosenSize:
    """A client-chosen page size, refused (not silently cut) above the maximum."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}]}
            )
        return size

    def _size_schema(self, params: list[dict]) -> list[dict]:
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return params


class Pagination(_ChosenSize, PageNumberPagination):
    """Page numbers, with the total count: for lists that stay small (regions, countries, a person's plans)."""

    def get_schema_operation_parameters(self, view):
        params = self._size_schema(super().get_schema_operation_parameters(view))
        for param in params:
            if param["name"] == self.page_query_param:
                param["schema"] = {"type": "integer", "minimum": 1}
        return params


class KeysetPagination(_ChosenSize, CursorPagination):
    """For lists that grow with the years: each page starts after the last row of the one before (the `next`
    link's opaque cursor) and is read through an index in that order, so the hundredth page costs what the
    first does. No total count: counting would read every row."""

    def get_schema_operation_parameters(self, view):
        return self._size_schema(super().get_schema_operation_parameters(view))


def keyset(*ordering: str) -> type[KeysetPagination]:
    """Keyset paging in this order, which an index must serve. DRF keys a page on the first field and skips
    the rows that share its value with the last one shown: a first field with few ties (a period, a due
    date) keeps that skip small; the id last makes the order total."""
    return type("KeysetPagination", (KeysetPagination,), {"ordering": ordering})
