"""The dashboard's period menus and the warning-to-response clock's own GET form (period, gap days)."""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scans.periods import QUARTERLY, Period

MAX_GAP_DAYS = 3650


# The period menu: recent and coming quarters. Any other period still works from the address.
QUARTERS_BACK, QUARTERS_AHEAD = 12, 8


def _quarter_choices(today: dt.date, selected: str = "") -> list[tuple[str, str]]:
    current = Period.containing(today, QUARTERLY)
    first = current
    for _i in range(QUARTERS_BACK):
        first = first.previous()
    periods, p = [], first
    for _i in range(QUARTERS_BACK + QUARTERS_AHEAD + 1):
        periods.append(p.code)
        p = p.next()
    if selected and selected not in periods:
        periods.append(selected)
    return [("", _("All periods")), *((code, code) for code in reversed(periods))]


class _PeriodMenu(forms.Select):
    def value_from_datadict(self, data, files, name):
        # "2026-q1" chooses like "2026-Q1", and the menu shows that quarter as chosen.
        return (data.get(name) or "").strip().upper()


class PeriodField(forms.CharField):
    """A period from a menu of quarters (offer_quarters), or any other typed in the address: a text field behind the menu, so
    that a mistyped one gets Period.parse's explanation rather than the generic "select a valid choice"."""

    widget = _PeriodMenu

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
        self.widget.attrs["class"] = "form-select"

    def offer_quarters(self, today: dt.date, selected: str | None) -> None:
        self.widget.choices = _quarter_choices(today, selected or "")

    def clean(self, value) -> Period | None:
        code = super().clean(value)
        if not code:
            return None
        try:
            return Period.parse(code)
        except ValueError as exc:
            raise ValidationError(str(exc), code="period") from None


class ClockForm(forms.Form):
    clock_period = PeriodField(label=_("Warnings raised in"))
    gap_days = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_GAP_DAYS, label=_("Gap: older than (days)"),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clock_period"].offer_quarters(today, self["clock_period"].value())
        self.fields["gap_days"].widget.attrs.update(placeholder=str(settings.WARNING_GAP_DAYS), **{"class": "form-control"})

