"""The dashboard's warning-to-response clock: its own GET form (period, gap days)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scans.periods import Period

MAX_GAP_DAYS = 3650


class ClockForm(forms.Form):
    # A text field behind a menu, as the dashboard's period: a mistyped one gets Period.parse's words.
    clock_period = forms.CharField(required=False, label=_("Warnings raised in"))
    gap_days = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_GAP_DAYS, label=_("Gap: older than (days)"),
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # "2026-q1" chooses like "2026-Q1"; the menu must then show that quarter as chosen.
            self.data = self.data.copy()
            self.data["clock_period"] = (self.data.get("clock_period") or "").strip().upper()
        self.fields["clock_period"].widget = forms.Select(choices=choices)
        self.fields["gap_days"].widget.attrs.update(placeholder=str(settings.WARNING_GAP_DAYS))
        for bound in self:
            bound.field.widget.attrs["class"] = "form-select" if bound.name == "clock_period" else "form-control"

    def clean_clock_period(self) -> Period | None:
        code = self.cleaned_data["clock_period"]
        if not code:
            return None
        try:
            return Period.parse(code)
        except ValueError as exc:
            raise ValidationError(str(exc), code="period") from None

