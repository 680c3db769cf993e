"""Dates and times in the reader's language by CLDR's rules (Babel), times in the reader's zone.

Built into every template (settings.TEMPLATES "builtins"):
- `{{ d|day }}` 25 Aug 2026 · 25 août 2026 · 2026年8月25日; `{{ d|day:"long" }}` 25 August 2026;
  `{{ d|day:"no_year" }}` 25 Aug;
- `{{ d|month_year }}` August 2026 · août 2026;
- `{{ t|when }}` 25 Aug 2026, 14:05 UTC+1: the date and time in the reader's zone, with its offset;
- `{% zone_note %}` names the reader's zone once on the page;
- `{{ text|own_text }}` what a person wrote, its direction its own;
- `{{ scan.period|ltr }}` a code (2026-Q4) kept in its order in a right-to-left page;
- `{{ action.lead_entity|entity }}` an entity's code, its full name in the reader's language on hover;
- `{{ indicator|tr:"name" }}` a reference text in the reader's language, marked where it is still English.
"""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_timezone_name
from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from hruf.country_names import name_of
from hruf.locales import cldr_locale, ltr
from hruf.translated import LocalText, pick

register = template.Library()


def _as_date(value) -> dt.date:
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


@register.filter
def day(value, width: str = "medium") -> str:
    if value in (None, ""):
        return ""
    value = _as_date(value)
    if width == "no_year":
        return format_skeleton("MMMd", value, locale=cldr_locale())
    return format_date(value, format=width, locale=cldr_locale())


@register.filter
def month_year(value) -> str:
    if value in (None, ""):
        return ""
    return format_skeleton("yMMMM", _as_date(value), locale=cldr_locale())


def offset_label(moment: dt.datetime) -> str:
    """UTC, UTC+1, UTC−5, UTC+5:30: short, and the same in every language."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if not minutes:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '−'}{hours}" + (f":{rest:02d}" if rest else "")


@register.filter
def when(value) -> str:
    """The date and time in the reader's zone, joined as the language joins them, with the offset."""
    if value in (None, ""):
        return ""
    moment = timezone.localtime(value)
    locale = cldr_locale()
    joined = str(Locale.parse(locale).datetime_formats["medium"])
    text = joined.replace("{1}", format_date(moment, "medium", locale=locale)).replace(
        "{0}", format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale))
    return f"{text} {offset_label(moment)}"


@register.simple_tag
def zone_note() -> str:
    """The reader's zone by name, for the foot of the page: "Times in West Africa Time (Africa/Niamey)"."""
    zone = timezone.get_current_timezone()
    name = getattr(zone, "key", str(zone))
    if name == "UTC":
        return _("Times in UTC.")
    # The zone's generic name ("Central European Time"), true in winter and in summer alike.
    long_name = get_timezone_name(zone, width="long", locale=cldr_locale())
    return _("Times in %(zone)s (%(place)s).") % {"zone": long_name, "place": name}


@register.filter(needs_autoescape=True)
def own_text(value, language: str = "", autoescape: bool = True) -> str:
    """What a person wrote (evidence, a narrative, a note), kept as written and isolated for direction:
    an Arabic sentence inside an English page reads right to left, and the page around it stays put.
    `language`, where the writer said it, tells browsers and screen readers which language it is in."""
    if value in (None, ""):
        return ""
    if language:
        return format_html('<bdi lang="{}">{}</bdi>', language, linebreaksbr(value, autoescape=autoescape))
    return format_html("<bdi>{}</bdi>", linebreaksbr(value, autoescape=autoescape))


@register.filter
def country_named(english: str) -> str:
    """A country's stored English name (a frozen row's) in the reader's language."""
    return name_of(english) if english else ""


@register.filter
def tr(obj, field: str | None = None) -> str:
    """A reference text (an indicator's question, a region's name) in the reader's language. One without a
    translation reads in English, marked so; a text a person wrote (a case-specific indicator) as written.
    Without `field`, `obj` is a text already picked (a LocalText)."""
    if obj is None:
        return ""
    if field is None:
        return marked(obj) if isinstance(obj, LocalText) else own_text(obj)
    if not hasattr(obj, "translated"):
        return own_text(getattr(obj, field), getattr(obj, "language", ""))
    return marked(obj.translated(field))


def marked(text: LocalText) -> str:
    if not text.fallback:
        return linebreaksbr(text, autoescape=True)
    note = _("Not translated yet: shown in English.")
    return format_html('<span lang="en">{}</span> <sup class="untranslated-mark" title="{}">'
                       '<span aria-hidden="true">EN</span><span class="visually-hidden">{}</span></sup>',
                       linebreaksbr(text, autoescape=True), note, note)


@register.filter
def frozen_label(row: dict) -> str:
    """A frozen record's indicator label ({"label": English, "translations": ...}) in the reader's language;
    one frozen without translations (a case-specific indicator, an older record) as written."""
    if "translations" not in row:
        return own_text(row.get("label", ""))
    return marked(pick(row["label"], row["translations"], "name"))


register.filter("ltr", ltr)


@register.filter
def entity(value) -> str:
    """An entity by its code (OHCHR), its full name in the reader's language as the abbreviation's title."""
    if not value:
        return ""
    return format_html('<abbr title="{}">{}</abbr>', value.translated("name"), value.code)
