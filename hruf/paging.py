"""Paging of server-rendered lists, written once: which page a link asks for, which rows it holds
and where its neighbours are. Plain links (?page=2), so lists page without JavaScript."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Subquery
from django.http import HttpRequest

# A page number is at most five digits: an old or hand-typed link past it shows the first page
# rather than asking the database for an offset of billions.
MAX_PAGE = 10_000


def page_number(raw: str | None) -> int:
    """The page a link asks for: a plain positive number up to MAX_PAGE, else 1 (never an error)."""
    raw = raw or ""
    return min(max(int(raw), 1), MAX_PAGE) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 1


def page_link(request: HttpRequest, name: str, number: int) -> str:
    """A link to another page of the list `name`, keeping the rest of the query string."""
    query = request.GET.copy()
    query[name] = str(number)
    return "?" + query.urlencode()


@dataclass(frozen=True)
class Page:
    """Page `number` (from 1) of a list shown `size` rows at a time. A page past the end is empty."""

    number: int
    size: int

    @classmethod
    def requested(cls, request: HttpRequest, size: int, name: str = "page") -> Page:
        return cls(page_number(request.GET.get(name)), size)

    @property
    def start(self) -> int:
        """How many rows come before this page (a 0-based offset)."""
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        return self.number * self.size

    @property
    def first(self) -> int:
        """The 1-based position of the page's first row, as "rows 26 to 50" shows it."""
        return self.start + 1

    def last(self, shown: int) -> int:
        return self.start + shown

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    def following(self, more: bool) -> int | None:
        return self.number + 1 if more else None

    def of(self, rows: Sequence) -> list:
        """This page of a list already in memory."""
        return list(rows[self.start : self.stop])

    def fetch(self, queryset: QuerySet) -> tuple[list, bool]:
        """This page of an ordered queryset in one query, and whether a next page exists: one row
        more than the page is read, so no COUNT over the whole list is needed."""
        rows = list(queryset[self.start : self.stop + 1])
        return rows[: self.size], len(rows) > self.size


def older_than(queryset: QuerySet, raw: str | None, *, at: str) -> QuerySet:
    """Keyset paging, newest first by the field `at` then the id: the rows after the one a link names
    (?before=<id>, the last row of the page before), found through the index on `at` at any depth, where an
    offset would read every row it skips. A link that is no id starts from the newest; one naming a row
    the reader cannot see gives an empty page."""
    ordered = queryset.order_by(f"-{at}", "-pk")
    raw = raw or ""
    if not (raw.isascii() and raw.isdigit() and len(raw) < 12):
        return ordered
    pk = int(raw)
    mark = Subquery(queryset.filter(pk=pk).values(at)[:1])
    return ordered.filter(Q(**{f"{at}__lt": mark}) | Q(**{at: mark, "pk__lt": pk}))


@dataclass(frozen=True)
class OlderPage:
    """A page of a list paged by older_than: its rows, the id an "Older" link names (None on the last
    page), and whether it was reached by such a link (so the page offers the way back to the newest)."""

    rows: list
    older: int | None
    paged: bool

    @classmethod
    def of(cls, request: HttpRequest, queryset: QuerySet, *, at: str, size: int) -> OlderPage:
        """In one query: one row more than the page is read, to know whether an older page exists."""
        before = request.GET.get("before")
        rows = list(older_than(queryset, before, at=at)[: size + 1])
        return cls(rows[:size], rows[size - 1].pk if len(rows) > size else None, before is not None)
