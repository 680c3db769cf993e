from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page numbers with a client-chosen size, refused (not silently cut) above the maximum."""

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

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
            if param["name"] == self.page_query_param:
                param["schema"] = {"type": "integer", "minimum": 1}
        return params
