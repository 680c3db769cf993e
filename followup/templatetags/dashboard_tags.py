"""Horizontal bar charts drawn on the server as inline SVG: no script, no CDN, printable.

The chart is a picture of a table that the page always shows beside it; screen readers get
the table, the SVG only says what it is a picture of.
"""

from dataclasses import dataclass

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# What each series means and how it is drawn. Colours keep at least 3:1 against white.
SERIES = {
    "count": (_("Count"), "#0d6efd"),
    "done": (_("Done"), "#198754"),
    "on_time": (_("Open, on time"), "#0d6efd"),
    "overdue": (_("Overdue"), "#b02a37"),
    "cancelled": (_("Cancelled"), "#6c757d"),
    "submitted": (_("Submitted"), "#198754"),
    "not_due": (_("Not yet due"), "#9a6700"),
}

WIDTH = 640
VALUE_WIDTH = 60
# Each bar's label has a line of its own above it, the whole width: a long name ("Latin America and the
# Caribbean", in any language) is never cut, and the chart scales down on a phone with the text in it.
LABEL_HEIGHT = 17
BAR_HEIGHT = 18
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 9
LEGEND_HEIGHT = 26


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    colour: str
    value: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    y: float
    segments: list[Segment]

    @property
    def label_y(self) -> float:
        return self.y + LABEL_HEIGHT - 4

    @property
    def bar_y(self) -> float:
        return self.y + LABEL_HEIGHT

    @property
    def text_y(self) -> float:
        return self.bar_y + BAR_HEIGHT - 4

    @property
    def end_x(self) -> float:
        return (self.segments[-1].x + self.segments[-1].width if self.segments else 0) + 6


@register.inclusion_tag("followup/_bar_chart.html")
def bar_chart(chart_id: str, title: str, rows, series: str = "count", label: str = "label"):
    """`rows` are objects with a `label` attribute (or the one named) and one attribute per
    series named in `series` (space-separated keys of SERIES); bars stack the series."""
    keys = series.split()
    plot = WIDTH - VALUE_WIDTH
    legend = LEGEND_HEIGHT if len(keys) > 1 else 0
    values = [[int(getattr(row, k) or 0) for k in keys] for row in rows]
    largest = max((sum(v) for v in values), default=0) or 1
    bars = []
    for i, (row, counts) in enumerate(zip(rows, values, strict=True)):
        x, segments = 0.0, []
        for key, value in zip(keys, counts, strict=True):
            if value:
                width = round(plot * value / largest, 1)
                name, colour = SERIES[key]
                segments.append(Segment(key, name, colour, value, round(x, 1), width))
                x += width
        bars.append(Bar(str(getattr(row, label)), sum(counts), legend + i * ROW_HEIGHT, segments))
    return {
        "chart_id": chart_id,
        "title": title,
        "bars": bars,
        "legend": [(SERIES[k][0], SERIES[k][1], 120 * i) for i, k in enumerate(keys)] if legend else [],
        "width": WIDTH,
        "height": legend + max(len(bars), 1) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
    }
