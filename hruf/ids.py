"""Object ids read from a form or a query string, parsed in one place. Path ids need nothing more:
the `int` converter admits digits only, and an id past the column's range simply matches no row."""

from __future__ import annotations

from django.http import Http404

# Ids are bigints (BigAutoField): the API refuses a larger number as invalid; pages refuse more than
# 18 digits before the number reaches a query.
MAX_ID = 2**63 - 1
_MAX_DIGITS = 18


def object_id(raw: object) -> int | None:
    """A positive decimal id, or None for anything else ("", "abc", "-1", "1e3", "２", "0")."""
    text = str(raw) if raw is not None else ""
    if not (text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS):
        return None
    number = int(text)
    return number if number > 0 else None


def object_id_or_404(raw: object) -> int:
    """The id, or 404: the object named by a garbled id does not exist for the reader."""
    number = object_id(raw)
    if number is None:
        raise Http404
    return number
