"""Turning Python values into spreadsheet cells that a spreadsheet will never run.

A cell typed by a field officer ("=HYPERLINK(...)", "+1-2", "@SUM(...)") would be run as a formula
by Excel or LibreOffice when the file is opened: CSV/formula injection. Every text cell that starts
with one of the characters a spreadsheet reads as the start of a formula gets a leading apostrophe,
in CSV and XLSX alike. Numbers stay numbers: a score of -5 is a number, the text "-5" is not.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# "=", "+", "-", "@" start a formula; a tab or carriage return before one is skipped by some
# spreadsheets (and a full-width "＝" by others, which we leave to the apostrophe of its first "=").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value as a spreadsheet should hold it: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value):
    """Dates in UTC without a zone (spreadsheets have none), booleans as words left to the caller."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.replace(microsecond=0)
    return value


def csv_cell(value) -> str | int | float:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("Booleans are written as translated words by the row generators.")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def xlsx_cell(value):
    value = _plain(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("Booleans are written as translated words by the row generators.")
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    # openpyxl refuses control characters that XML 1.0 cannot hold; a pasted one must not fail the export.
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
