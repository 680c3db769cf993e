import binascii
import datetime as dt
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode

from django.conf import settings
from django.core import exceptions as django_exceptions
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.utils.urls import replace_query_param


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


class PartedKeysetPagination(KeysetPagination):
    """Keyset paging over a list made of parts, each in an order of its own that an index serves (the open
    warnings by deadline, then the answered ones newest first): one ordering over the whole list would have
    to sort every row to find a page. The cursor names the part and the last row's key in that part's order;
    a page that ends a part goes on with the next one, so a page costs at most one query per part it spans."""

    parts: tuple[tuple[Q, tuple[str, ...]], ...] = ()

    def paginate_queryset(self, queryset, request, view=None):
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        start = self._read_cursor(request, queryset.model)
        backward = bool(start and start["back"])
        order = range(start["part"] if start else 0, -1 if backward else len(self.parts), -1 if backward else 1)
        rows: list[tuple[int, object]] = []
        for number in order:
            where, ordering = self.parts[number]
            ordering = tuple(_flip(field) for field in ordering) if backward else ordering
            part = queryset.filter(where).order_by(*ordering)
            if start and number == start["part"]:
                part = part.filter(_beyond(ordering, start["key"]))
            rows += [(number, row) for row in part[: self.page_size + 1 - len(rows)]]
            if len(rows) > self.page_size:
                break
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backward:
            rows.reverse()
        # Going forward there is a page before when a cursor led here; going back, one after.
        self._next = rows[-1] if rows and (more if not backward else True) else None
        self._previous = rows[0] if rows and (more if backward else start is not None) else None
        return [row for _number, row in rows]

    def get_next_link(self):
        return self._link(self._next, back=False)

    def get_previous_link(self):
        return self._link(self._previous, back=True)

    def _link(self, mark, *, back: bool) -> str | None:
        if mark is None:
            return None
        number, row = mark
        key = [_plain(getattr(row, field.lstrip("-"))) for field in self.parts[number][1]]
        raw = json.dumps({"part": number, "key": key, "back": back}, separators=(",", ":"))
        return replace_query_param(self.base_url, self.cursor_query_param, urlsafe_b64encode(raw.encode()).decode())

    def _read_cursor(self, request, model) -> dict | None:
        """The cursor of the query string, its key read as the fields' values: one that no link gave (edited,
        cut short) answers 404 as DRF's own cursors do."""
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        try:
            cursor = json.loads(urlsafe_b64decode(raw.encode()))
            if type(cursor["part"]) is not int or not 0 <= cursor["part"] < len(self.parts):
                raise ValueError
            fields = self.parts[cursor["part"]][1]
            if not (isinstance(cursor["key"], list) and len(cursor["key"]) == len(fields)
                    and isinstance(cursor["back"], bool)):
                raise ValueError
            cursor["key"] = [model._meta.get_field(field.lstrip("-")).to_python(value)
                             for field, value in zip(fields, cursor["key"], strict=True)]
            if None in cursor["key"]:
                raise ValueError
        except (ValueError, TypeError, KeyError, binascii.Error, django_exceptions.ValidationError):
            raise NotFound(self.invalid_cursor_message) from None
        return cursor


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _beyond(ordering: tuple[str, ...], key: list) -> Q:
    """The rows after `key` in this order: past it on the first field (the index's range) and, among the rows
    that tie on the fields before, past it on the next."""
    def past(field: str, value) -> Q:
        return Q(**{f"{field.lstrip('-')}__{'lt' if field.startswith('-') else 'gt'}": value})

    first = ordering[0]
    within = Q(**{f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": key[0]})
    after = Q()
    for i, field in enumerate(ordering):
        ties = Q(**{f.lstrip("-"): v for f, v in zip(ordering[:i], key[:i], strict=True)})
        after |= ties & past(field, key[i])
    return within & after


def keyset_in_parts(*parts: tuple[Q, tuple[str, ...]]) -> type[PartedKeysetPagination]:
    """Keyset paging over these parts in turn: (which rows, their order), each order served by an index and
    ending in the id."""
    return type("PartedKeysetPagination", (PartedKeysetPagination,), {"parts": parts})
