"""The country table (hruf/data/countries.tsv, see its README), read once per process.

The reference loader takes the UN member states from it; the external risk import matches
names against every row, member or not, so that a territory's name is never taken for a
neighbour's.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "countries.tsv"


@lru_cache(maxsize=1)
def country_rows() -> tuple[dict, ...]:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh, delimiter="\t"))


def member_state_rows() -> list[dict]:
    return [r for r in country_rows() if r["UNmember"] not in ("", "nan")]
