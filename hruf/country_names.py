"""Country names in the reader's language, as the United Nations writes them in its six languages
("République démocratique du Congo", "Iran (Islamic Republic of)"), from the countrycode package's
UN names. English keeps the name in the country table (an administrator may edit it). A country the
package does not know (a test's, a territory) keeps that name in every language.

Only what is shown is translated: stored texts (a notification's parameters, the audit trail, a frozen
agenda) keep the English name, and are rendered through this module when read.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation

from .countries import country_rows

# Django's language codes to the package's column suffixes.
_COLUMNS = {"ar": "ar", "zh-hans": "zh", "fr": "fr", "ru": "ru", "es": "es"}


@lru_cache(maxsize=len(_COLUMNS))
def _names(column: str) -> dict[str, str]:
    from countrycode import countrycode  # reads its table (2.5 MB) once, when first needed

    codes = [row["ISO3"] for row in country_rows()]
    names = countrycode(codes, origin="iso3c", destination=f"un.name.{column}")
    return {code: name for code, name in zip(codes, names, strict=True) if name}


def name_in(iso3: str, english: str, language: str | None = None) -> str:
    column = _COLUMNS.get((language or translation.get_language() or "en").lower())
    if column is None:
        return english
    return _names(column).get(iso3, english)


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    return {row["name_short"]: row["ISO3"] for row in country_rows()}


def name_of(english: str, language: str | None = None) -> str:
    """A country named in a stored text (a frozen agenda's row, say), in the reader's language."""
    iso3 = _codes_by_name().get(english)
    return name_in(iso3, english, language) if iso3 else english
