"""Store codes, render words: a catalogue of texts kept by code and rendered when read.

What the app says on its own (a notification, the reason a country is proposed, what a sweep
did) is stored as a code and plain parameters, never as a sentence: a sentence would stay in
the language of whoever happened to trigger it. Each kind of text has one `Catalogue`; the app
that owns a text adds it under its code, and the reader's page, the API or the mail renders it
in the reader's language (or the one passed in). A code nobody knows any more, or a parameter
missing from old data, renders the catalogue's fallback and a warning in the log: a page or a
mail never fails on a stored text.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

from .country_names import name_of

log = logging.getLogger(__name__)

# Kept rows that predate the codes: their prose sits in the parameters and is shown as it was.
LEGACY = "legacy"

Template = str | Promise | Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Entry:
    parts: Mapping[str, Template]
    # Parameters shown through words of their own (a tier's or a status's label), looked up
    # in the reader's language: the stored value is the code, e.g. "very_high".
    labels: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)


class Catalogue:
    def __init__(self, name: str, *, fallback: Mapping[str, str | Promise]):
        self.name = name
        self.fallback = dict(fallback)
        self.entries: dict[str, Entry] = {}

    def add(self, code: str, *, labels: Mapping[str, Callable[[Any], str]] | None = None, **parts: Template) -> None:
        if code in self.entries:
            raise ValueError(f"{self.name}: the code {code!r} is taken")
        unknown = set(parts) - set(self.fallback)
        if unknown:
            raise ValueError(f"{self.name}: no such part {sorted(unknown)}")
        self.entries[code] = Entry(parts=parts, labels=labels or {})

    def render(self, code: str, params: Mapping[str, Any] | None, part: str, *, language: str | None = None) -> str:
        """The words for `code` with `params`, in `language` (default: the active one)."""
        with translation.override(language) if language else nullcontext():
            entry = self.entries.get(code)
            if entry is None:
                log.warning("%s: unknown code %r", self.name, code)
                return str(self.fallback[part])
            template = entry.parts.get(part, "")
            try:
                values = {k: entry.labels[k](v) if k in entry.labels else v for k, v in dict(params or {}).items()}
                if isinstance(values.get("country"), str):  # stored in English, read in the reader's language
                    values["country"] = name_of(values["country"])
                if callable(template):
                    return str(template(values))
                return str(template % values)
            except (KeyError, ValueError, TypeError, IndexError, AttributeError):
                log.warning("%s: code %r cannot be rendered with %r", self.name, code, params, exc_info=True)
                return str(self.fallback[part])


def stored_day(value: str) -> str:
    """A day stored as a parameter (ISO, "2026-08-25") as the reader's language writes it: 25 August 2026."""
    from .templatetags.locale_tags import day  # the one formatter of days, by CLDR's rules

    return day(dt.date.fromisoformat(value), "long")


def coded(code: str, **params: Any) -> dict[str, Any]:
    """The stored shape of one coded text inside a JSON list (a proposal's reasons)."""
    return {"code": code, "params": params}
