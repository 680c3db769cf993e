"""Importing an external structural risk assessment from CSV: decode, read, match, then write.

The file is read twice: once for the preview (nothing written) and again on confirm, inside the
one transaction that writes the snapshot and every score, so nothing is ever half-written.
Country names are matched exactly (our names, official names, ISO3 codes) or through the
aliases that the country table (hruf/data) documents for each country (its regex column). A name that
matches nothing, matches two countries, or names a place that is not a member state here is
reported and left out; it is never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hruf.audit import Audit, audit_changes, audit_record
from hruf.countries import country_rows
from hruf.models import Country, User

from .models import ExternalRiskScore, ExternalRiskSnapshot

MAX_UPLOAD_BYTES = 1_000_000  # a world-wide assessment is a few hundred rows, some 20 KB
MAX_ROWS = 2_000
MAX_ERRORS_SHOWN = 50
MAX_RANK = 100_000
RISK_PLACES = Decimal("0.000001")

# Accepted headers, compared after lower-casing and folding spaces, "_" and "-" to one space.
HEADERS = {
    "country": ("country", "country name", "countryname"),
    "iso3": ("iso3", "iso 3", "iso3 code", "iso alpha 3", "country code"),
    "risk": ("risk", "probability", "score", "risk score", "risk probability", "risk estimate"),
    "rank": ("rank", "risk rank"),
}
REQUIRED = ("country", "risk")


class ExternalImportError(Exception):
    """The whole file is refused (encoding, header, size), with a message for the person."""


@dataclass(frozen=True)
class MatchedRow:
    line: int
    name: str
    country: Country
    risk: Decimal
    rank: int | None
    matched_by: str  # "name", "iso3" or "alias"


@dataclass(frozen=True)
class UnknownName:
    line: int
    name: str
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "name": self.name, "reason": self.reason}


@dataclass
class ImportPreview:
    """What confirming would write, what it would leave out, and what stops it."""

    sha256: str
    columns: dict[str, str]
    total_rows: int = 0
    rows: list[MatchedRow] = field(default_factory=list)
    unknown: list[UnknownName] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def can_confirm(self) -> bool:
        return not self.errors

    @property
    def errors_shown(self) -> list[str]:
        return self.errors[:MAX_ERRORS_SHOWN]

    @property
    def errors_hidden(self) -> int:
        return max(0, len(self.errors) - MAX_ERRORS_SHOWN)


# --- decoding and reading ---------------------------------------------------------------


def decode_upload(data: bytes) -> str:
    """UTF-8, with or without a byte-order mark. Nothing else is guessed: a Latin-1 or Windows-1252
    file decodes without error as garbage, so those are refused and the person re-saves as UTF-8."""
    if not data.strip():
        raise ExternalImportError(_("The file is empty."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExternalImportError(_("The file is UTF-16. Save it as CSV UTF-8 and upload it again."))
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise ExternalImportError(_("This is not a CSV text file (a spreadsheet?). Save it as CSV UTF-8 and upload it again."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExternalImportError(
            _("The file is not UTF-8 (an unreadable byte on line %(line)s; Latin-1 or Windows-1252?). "
              "Save it as CSV UTF-8 and upload it again.") % {"line": line}
        ) from None


def _fold(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", header.strip().lower()).strip()


def _expected_columns() -> str:
    return _("a country column (%(country)s) and a risk column (%(risk)s); optionally %(rank)s and %(iso3)s") % {
        key: " / ".join(f'"{h}"' for h in HEADERS[key][:3]) for key in HEADERS
    }


def map_header(header: list[str]) -> dict[str, int]:
    """Which column holds what. Missing or doubled columns refuse the file, naming what is expected."""
    found: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        for key, names in HEADERS.items():
            if _fold(cell) in names:
                found.setdefault(key, []).append(index)
    for key, indexes in found.items():
        if len(indexes) > 1:
            raise ExternalImportError(
                _("The header has more than one %(what)s column (%(columns)s); keep one. Expected %(expected)s.")
                % {"what": key, "columns": ", ".join(f'"{header[i].strip()}"' for i in indexes), "expected": _expected_columns()}
            )
    missing = [key for key in REQUIRED if key not in found]
    if missing:
        raise ExternalImportError(
            _("The first line must name the columns. Found %(found)s; expected %(expected)s.")
            % {"found": ", ".join(f'"{c.strip()}"' for c in header) or _("nothing"), "expected": _expected_columns()}
        )
    return {key: indexes[0] for key, indexes in found.items()}


def _delimiter(text: str) -> str:
    first = text.lstrip().split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)


def parse_risk(raw: str, delimiter: str) -> Decimal:
    value = raw.strip().replace("\u00a0", "").replace(" ", "")
    if delimiter != "," and "," in value and "." not in value:
        value = value.replace(",", ".")  # a semicolon-separated file from a French or German spreadsheet
    percent = value.endswith("%")
    try:
        number = Decimal(value.rstrip("%"))
    except InvalidOperation:
        raise ValueError(_("risk %(value)s is not a number") % {"value": repr(raw)}) from None
    if not number.is_finite():
        raise ValueError(_("risk %(value)s is not a number") % {"value": repr(raw)})
    if percent:
        number /= 100
    if not 0 <= number <= 1:
        raise ValueError(
            _("risk %(value)s is not a probability between 0 and 1 (write percentages with a %% sign)") % {"value": repr(raw)}
        )
    return number.quantize(RISK_PLACES, rounding=ROUND_HALF_EVEN)


def parse_rank(raw: str) -> int | None:
    value = raw.strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,6}", value) or not 1 <= int(value) <= MAX_RANK:
        raise ValueError(
            _("rank %(value)s is not a whole number from 1 to %(max)s") % {"value": repr(raw), "max": MAX_RANK}
        )
    return int(value)


# --- matching country names --------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


@lru_cache(maxsize=1)
def _converter_table() -> tuple[tuple[str, str, str, re.Pattern], ...]:
    """(ISO3, short name, official name, alias regex) for every row of the country table,
    member states or not: a name that matches a territory must be seen to, not slip to a neighbour."""
    return tuple(
        (r["ISO3"], r["name_short"], r["name_official"], re.compile(r["regex"], re.IGNORECASE)) for r in country_rows()
    )


class CountryMatcher:
    """Exact names and codes from our Country table (read once), then the country table's aliases."""

    def __init__(self):
        self.by_iso3: dict[str, Country] = {}
        self.by_name: dict[str, Country] = {}
        for country in Country.objects.all():
            self.by_iso3[country.iso3.upper()] = country
            for name in (country.name, country.official_name):
                if name:
                    self.by_name.setdefault(_norm(name), country)
        self.converter_names: dict[str, str] = {}
        for iso3, short, official, _regex in _converter_table():
            for name in (short, official):
                self.converter_names.setdefault(_norm(name), iso3)

    def match(self, name: str, iso3: str = "") -> tuple[Country | None, str]:
        """The country and how it was matched, or None and why not."""
        by_code = by_name = None
        how = ""
        if iso3.strip():
            by_code = self.by_iso3.get(iso3.strip().upper())
            if by_code is None:
                return None, _("ISO3 code %(code)s is not a UN member state here") % {"code": iso3.strip()}
        if name.strip():
            by_name, how = self._by_name(name)
            if by_name is None and by_code is None:
                return None, how
        if by_code is not None:
            if by_name is not None and by_name != by_code:
                return None, _("the name says %(name)s but the code says %(code)s") % {"name": by_name, "code": by_code}
            return by_code, "iso3"
        return by_name, how

    def _by_name(self, name: str) -> tuple[Country | None, str]:
        key = _norm(name)
        if key in self.by_name:
            return self.by_name[key], "name"
        if len(key) == 3 and key.upper() in self.by_iso3:
            return self.by_iso3[key.upper()], "iso3"
        if key in self.converter_names:
            return self._member(self.converter_names[key], "name")
        hits = sorted({iso3 for iso3, _s, _o, regex in _converter_table() if regex.search(name.strip())})
        if len(hits) > 1:
            return None, _("could be any of %(codes)s") % {"codes": ", ".join(hits)}
        if hits:
            return self._member(hits[0], "alias")
        return None, _("no such country in the reference data")

    def _member(self, iso3: str, how: str) -> tuple[Country | None, str]:
        country = self.by_iso3.get(iso3)
        if country is None:
            return None, _("%(code)s is not a UN member state here") % {"code": iso3}
        return country, how


# --- preview and import -----------------------------------------------------------------


def external_import_preview(*, data: bytes) -> ImportPreview:
    """Read and match the whole file without writing anything. Raises ExternalImportError when
    the file as a whole is unusable; row problems are collected with their line numbers."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ExternalImportError(_("The file is larger than %(n)s KB.") % {"n": MAX_UPLOAD_BYTES // 1000})
    text = decode_upload(data)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ExternalImportError(_("The file has no header line.")) from None
    columns = map_header(header)
    # Hashed without the byte-order mark: the same rows saved by two editors are the same file.
    preview = ImportPreview(sha256=hashlib.sha256(text.encode()).hexdigest(), columns={k: header[i].strip() for k, i in columns.items()})
    matcher = CountryMatcher()
    first_line: dict[int, int] = {}
    previous_end = reader.line_num
    try:
        for cells in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            preview.total_rows += 1
            if preview.total_rows > MAX_ROWS:
                raise ExternalImportError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
            _read_row(preview, matcher, first_line, header, columns, cells, line, delimiter)
    except csv.Error as exc:
        preview.errors.append(_("Line %(line)s: %(error)s") % {"line": reader.line_num, "error": exc})
    if not preview.total_rows:
        raise ExternalImportError(_("The file has a header but no rows."))
    if not preview.rows and not preview.errors:
        preview.errors.append(_("No row names a UN member state; nothing to import."))
    return preview


def _read_row(preview, matcher, first_line, header, columns, cells, line, delimiter) -> None:
    if len(cells) > len(header):
        preview.errors.append(
            _("Line %(line)s: %(n)s values for %(m)s columns (a name with a comma must be in quotes).")
            % {"line": line, "n": len(cells), "m": len(header)}
        )
        return
    value = {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()}
    name = value["country"].strip()
    problems = []
    if not name and not value.get("iso3", "").strip():
        problems.append(_("no country name"))
    risk = rank = None
    if not value["risk"].strip():
        problems.append(_("no risk value"))
    else:
        try:
            risk = parse_risk(value["risk"], delimiter)
        except ValueError as exc:
            problems.append(str(exc))
    try:
        rank = parse_rank(value.get("rank", ""))
    except ValueError as exc:
        problems.append(str(exc))
    if problems:
        preview.errors.append(_("Line %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)})
        return
    country, how = matcher.match(name, value.get("iso3", ""))
    if country is None:
        preview.unknown.append(UnknownName(line=line, name=name or value.get("iso3", "").strip(), reason=how))
        return
    if country.pk in first_line:
        preview.errors.append(
            _("Line %(line)s: %(country)s appears again (first on line %(first)s).")
            % {"line": line, "country": country, "first": first_line[country.pk]}
        )
        return
    first_line[country.pk] = line
    preview.rows.append(MatchedRow(line=line, name=name, country=country, risk=risk, rank=rank, matched_by=how))


@transaction.atomic
def external_snapshot_import(
    *, data: bytes, source: str, as_of_date: dt.date, actor: User, original_filename: str,
    source_url: str = "", notes: str = "",
) -> ExternalRiskSnapshot:
    """Write the snapshot and all its scores, or nothing. Unknown names are stored on the snapshot."""
    preview = external_import_preview(data=data)
    if not preview.can_confirm:
        raise ExternalImportError(_("The file has errors; nothing was imported. Fix them and upload it again."))
    if not source.strip() or len(source.strip()) > 200:
        raise ExternalImportError(_("Name the source of the assessment (at most 200 characters)."))
    if as_of_date > timezone.localdate():
        raise ExternalImportError(_("The date is in the future; give the date the assessment describes."))
    try:
        with transaction.atomic():  # the duplicate check must not poison the outer transaction
            snapshot = ExternalRiskSnapshot.objects.create(
                source=source.strip(), source_url=source_url.strip(), as_of_date=as_of_date, notes=notes.strip(),
                original_filename=original_filename[:255], file_sha256=preview.sha256, imported_by=actor,
                rows_total=preview.total_rows, rows_matched=len(preview.rows), rows_unknown=len(preview.unknown),
                unknown_names=[u.as_dict() for u in preview.unknown],
            )
    except IntegrityError:
        raise ExternalImportError(
            _("This file was already imported for this source and date; nothing was imported again.")
        ) from None
    ExternalRiskScore.objects.bulk_create(
        ExternalRiskScore(snapshot=snapshot, country=r.country, risk=r.risk, rank=r.rank, name_in_file=r.name[:200])
        for r in preview.rows
    )
    # Shown beside every country's own score to chairs, the SAG and EOSG: who imported what is recorded.
    audit_record(actor=actor, action=Audit.CREATE, obj=snapshot,
                 changes=audit_changes(None, snapshot, fields=["source", "source_url", "as_of_date", "file_sha256"]),
                 detail={"rows_matched": snapshot.rows_matched, "rows_unknown": snapshot.rows_unknown})
    return snapshot
