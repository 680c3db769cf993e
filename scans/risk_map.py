"""Risk maps: countries coloured by their last tier, with the change since the period before,
open warnings and overdue scans marked, drawn as SVG by the app (hruf.world_shapes) and always
given with a table that says the same in words, for screen readers and keyboard users.

Built from what the page has already read (country statuses plus one query for the open warnings,
or an agenda's rows): a fixed number of queries however many countries are drawn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hruf import world_shapes
from hruf.translated import collation_key

from .models import EarlyWarning, WarningStep
from .scoring import TIER_ORDER, Tier
from .selectors import CountryStatus

# Fills by tier, each darker than the one before (relative luminance 0.82, 0.46, 0.19, 0.04), so that
# the order reads without colour vision and in a black-and-white print too; the legend is drawn from them.
TIER_FILL: dict[str, str] = {Tier.LOW: "#fde9a9", Tier.MODERATE: "#f4a259", Tier.HIGH: "#d9480f", Tier.VERY_HIGH: "#6b0f1a"}
NO_SCAN_FILL = "#ffffff"
# Below this size (in the frame's units over 800) a country is a speck: a dot in its colour is drawn
# at its label point as well.
SPECK = 4


@dataclass(frozen=True)
class MapEntry:
    """What the map says of one country, from country statuses (entries_from_statuses) or from an
    agenda's rows, live or frozen (reviews)."""

    iso3: str
    name: str
    tier: str  # "" before the first scan
    change: int | None  # the score's change since the period before
    open_warnings: int
    scan_missing: bool
    scan_label: str  # the scan's state in words, for the table


@dataclass(frozen=True)
class MapCountry:
    entry: MapEntry
    shape: world_shapes.Shape | None

    @property
    def fill(self) -> str:
        return TIER_FILL.get(self.entry.tier, NO_SCAN_FILL)

    @property
    def trend(self) -> str:
        change = self.entry.change
        return "" if not change else "rising" if change > 0 else "falling"

    @property
    def title(self) -> str:
        """What the shape's tooltip says: the table's row in one line."""
        e = self.entry
        parts = [str(Tier(e.tier).label) if e.tier else _("No scan yet")]
        if self.trend == "rising":
            parts.append(_("rising by %(points)s") % {"points": e.change})
        elif self.trend == "falling":
            parts.append(_("falling by %(points)s") % {"points": -(e.change or 0)})
        if e.open_warnings:
            parts.append(ngettext("%(count)s open warning", "%(count)s open warnings", e.open_warnings)
                         % {"count": e.open_warnings})
        if e.scan_missing:
            parts.append(e.scan_label)
        return _("%(country)s: %(state)s") % {"country": e.name, "state": "; ".join(parts)}


@dataclass(frozen=True)
class Markers:
    """Where the marks of one country go, in the frame's units."""

    speck: tuple[float, float, float] | None  # a dot in the tier's colour: x, y, radius
    trend: str  # polygon points of ▲ or ▼, or ""
    warning: tuple[float, float, float] | None  # x, y, radius


@dataclass(frozen=True)
class RiskMap:
    caption: str
    view_box: str
    land: str
    unit: float
    countries: list[MapCountry]  # by name, each in the table
    dom_id: str

    @property
    def stroke(self) -> float:
        return round(0.4 * self.unit, 3)

    @property
    def hatch(self) -> float:
        return round(3 * self.unit, 2)

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(TIER_FILL[t], str(t.label)) for t in TIER_ORDER] + [(NO_SCAN_FILL, _("No scan yet"))]

    @property
    def drawn(self) -> list[tuple[MapCountry, Markers]]:
        return [(c, self._markers(c)) for c in self.countries if c.shape is not None]

    @property
    def unmapped(self) -> list[MapCountry]:
        """Countries the shapes package has no shape for: in the table, and named under the map."""
        return [c for c in self.countries if c.shape is None]

    def _markers(self, c: MapCountry) -> Markers:
        assert c.shape is not None
        u, (x, y) = self.unit, c.shape.marker
        speck = (x, y, round(3.5 * u, 2)) if c.shape.box.size < SPECK * u else None
        trend = ""
        if c.trend:
            cx, h = x - 7 * u, 7 * u
            tip, base = (y - h, y + h * 0.7) if c.trend == "rising" else (y + h, y - h * 0.7)
            trend = f"{cx:.2f},{tip:.2f} {cx - h:.2f},{base:.2f} {cx + h:.2f},{base:.2f}"
        warning = (round(x + 7 * u, 2), y, round(4.5 * u, 2)) if c.entry.open_warnings else None
        return Markers(speck=speck, trend=trend, warning=warning)


# The steps that answer a warning: from the first of them, it is no longer open.
ANSWERING_STEPS = (WarningStep.Kind.ON_AGENDA, WarningStep.Kind.DECIDED, WarningStep.Kind.CLOSED)


def open_warning_counts(country_ids, at: dt.datetime | None = None) -> dict[int, int]:
    """Open warnings by country (open now, or at the moment `at`: raised before it, and no step
    had answered it by then), in one query."""
    if at is None:
        warnings = EarlyWarning.objects.open()
    else:
        answered = WarningStep.objects.filter(warning=OuterRef("pk"), kind__in=ANSWERING_STEPS, at__lt=at)
        warnings = EarlyWarning.objects.filter(raised_at__lt=at).exclude(Exists(answered))
    rows = warnings.filter(country_id__in=country_ids).values("country_id").annotate(n=Count("pk"))
    return {r["country_id"]: r["n"] for r in rows.order_by()}


def entries_from_statuses(statuses: list[CountryStatus]) -> list[MapEntry]:
    """The current period's picture (one query, for the open warnings): a scan is missing once
    its period's due date has passed without one."""
    warnings = open_warning_counts([s.country.pk for s in statuses])
    return [
        MapEntry(
            # with_latest_scores' annotations, which country_statuses always reads
            iso3=s.country.iso3, name=s.country.local_name, tier=s.country.last_tier or "",  # type: ignore[attr-defined]
            change=s.country.score_change,  # type: ignore[attr-defined]
            open_warnings=warnings.get(s.country.pk, 0), scan_missing=s.status == "overdue", scan_label=s.status_label,
        )
        for s in statuses
    ]


def _by_name(entry: MapEntry) -> str:
    return collation_key(entry.name)


def risk_map(entries: list[MapEntry], *, caption: str, whole_world: bool, dom_id: str = "risk-map") -> RiskMap:
    """The map of the given countries: the whole world, or framed on them (a region, one country)."""
    drawing = world_shapes.drawing(frozenset(e.iso3 for e in entries), whole_world)
    countries = [MapCountry(entry=e, shape=drawing.shapes.get(e.iso3)) for e in sorted(entries, key=_by_name)]
    return RiskMap(caption=caption, view_box=drawing.view_box, land=drawing.land, unit=drawing.unit,
                   countries=countries, dom_id=dom_id)
