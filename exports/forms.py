from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from followup.models import Plan
from hruf.forms import CountryChoiceField
from hruf.models import Country, Region
from hruf.permissions import (
    can_read_any_action,
    can_read_any_country,
    can_see_any_restricted,
    countries_visible_to,
    plans_visible_to,
)
from scans.periods import Period

from .models import Format, Kind
from .selectors import Filters
from .services import ExportRequest

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def kinds_for(user) -> list[tuple[str, str]]:
    """The exports a user may ask for: those that can hold something they may see."""
    kinds = []
    if can_read_any_country(user):
        kinds += [(Kind.SCANS, Kind.SCANS.label), (Kind.ALERTS, Kind.ALERTS.label)]
    if can_read_any_action(user):
        kinds.append((Kind.ACTIONS, Kind.ACTIONS.label))
    if can_read_any_country(user):
        kinds.append((Kind.RECORDS, Kind.RECORDS.label))
        kinds += [(Kind.CLOCK, Kind.CLOCK.label), (Kind.GAP, Kind.GAP.label)]
    return kinds


def countries_for(user):
    """Countries to filter on: those the user reads, or for action owners those of their plans."""
    if can_read_any_country(user):
        return countries_visible_to(user, Country.objects.all())
    plans = plans_visible_to(user, Plan.objects.all()).values("country_id")
    return Country.objects.filter(pk__in=plans)


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to export"), widget=forms.RadioSelect)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, initial=Format.CSV, widget=forms.RadioSelect)
    country = CountryChoiceField(
        Country.objects.none(), required=False, label=_("Country"), empty_label=_("All countries you may see")
    )
    region = forms.ModelChoiceField(
        Region.objects.none(), required=False, label=_("Region"), empty_label=_("All regions")
    )
    period = forms.CharField(
        required=False, max_length=8, label=_("Period"),
        help_text=_("A quarter (2026-Q3) or a month (2026-07). Scans: the period's first day; alerts: the day "
                    "raised; actions: the deadline; review records: the meeting's date."),
    )
    date_from = forms.DateField(required=False, label=pgettext_lazy("start of a date range", "From"), widget=_DATE)
    date_to = forms.DateField(required=False, label=pgettext_lazy("end of a date range", "To"), widget=_DATE)
    include_restricted = forms.BooleanField(
        required=False, label=_("Include restricted evidence"),
        help_text=_("Only for the countries where you may read it; elsewhere the evidence cell stays empty. "
                    "Keep the file as carefully as the sources it may name."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds_for(user)
        countries = countries_for(user)
        self.fields["country"].queryset = countries
        self.fields["region"].queryset = Region.objects.filter(countries__in=countries).distinct()
        if not can_see_any_restricted(user):
            # Not offered, and a forged value is ignored: the field is not there to read it.
            del self.fields["include_restricted"]

    @property
    def offers_anything(self) -> bool:
        return bool(self.fields["kind"].choices)

    def clean_period(self) -> str:
        code = self.cleaned_data["period"].strip().upper()
        if not code:
            return ""
        try:
            return Period.parse(code).code
        except ValueError as exc:
            raise ValidationError(str(exc), code="period") from None

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def export_request(self) -> ExportRequest:
        d = self.cleaned_data
        filters = Filters(
            country_id=d["country"].pk if d["country"] else None,
            region_id=d["region"].pk if d["region"] else None,
            period=d["period"], date_from=d["date_from"], date_to=d["date_to"],
        )
        return ExportRequest(
            kind=d["kind"], format=d["format"], filters=filters, include_restricted=d.get("include_restricted", False)
        )
