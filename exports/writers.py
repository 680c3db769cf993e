"""CSV and XLSX out of a dataset's headers and rows; every cell goes through exports.cells."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .cells import csv_cell, xlsx_cell

# Excel opens a UTF-8 CSV as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"
PROGRESS_EVERY = 500


class _Line:
    """A file-like sink for csv.writer that hands back the line it was given."""

    def write(self, text: str) -> str:
        return text


def csv_lines(headers: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def _counted(rows: Iterable[list], on_progress: Callable[[int], None] | None) -> Iterator[list]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if on_progress and done % PROGRESS_EVERY == 0:
            on_progress(done)
    if on_progress:
        on_progress(done)


def write_csv(out: BinaryIO, headers: list[str], rows: Iterable[list], on_progress=None) -> None:
    for line in csv_lines(headers, _counted(rows, on_progress)):
        out.write(line.encode("utf-8"))


def sheet_title(title: str) -> str:
    # Excel refuses these characters and more than 31 characters in a sheet's name.
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Export"


def write_xlsx(out: BinaryIO, title: str, headers: list[str], rows: Iterable[list], on_progress=None) -> None:
    # Write-only mode streams rows to a temporary file instead of holding the sheet in memory.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=xlsx_cell(h))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in _counted(rows, on_progress):
        sheet.append([xlsx_cell(v) for v in row])
    book.save(out)
