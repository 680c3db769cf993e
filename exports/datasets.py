"""A dataset: an export's title, headers and rows, read from one query in chunks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

CHUNK_SIZE = 2000


@dataclass
class Dataset:
    title: str
    headers: list[str]
    queryset: QuerySet
    to_row: Callable[[dict], list]

    def count(self) -> int:
        return self.queryset.count()

    def rows(self) -> Iterator[list]:
        for values in self.queryset.iterator(chunk_size=CHUNK_SIZE):
            yield self.to_row(values)


def labels(choices) -> dict:
    # Evaluated once per export, in the language the export is written in.
    return {value: str(label) for value, label in choices.choices}


