"""The EOSG follow-up dashboard: figures across every plan, filtered by region, entity and period."""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from hruf.figures_cache import kept
from hruf.kept_gzip import KeptHtml
from hruf.models import Country, Entity, Region
from hruf.permissions import (
    actions_visible_to,
    can_view_dashboard,
    commitments_visible_to,
    countries_visible_to,
    figures_audience,
    require,
)
from reviews.models import Commitment
from reviews.selectors import commitment_figures

from ..clock import dashboard_clock
from ..dashboard import Filters, dashboard_figures
from ..models import Action, Benchmark
from .clock import ClockForm, PeriodField


class DashboardFilterForm(forms.Form):
    region = forms.ModelChoiceField(Region.objects.all(), required=False, label=_("Region"), empty_label=_("All regions"))
    entity = forms.ModelChoiceField(
        Entity.objects.all(), required=False, label=_("Lead entity"), empty_label=_("All entities")
    )
    period = PeriodField(label=_("Deadline in period"))

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].offer_quarters(today, self["period"].value())
        for name in ("region", "entity"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> Filters:
        return Filters(region=self.cleaned_data["region"], entity=self.cleaned_data["entity"], period=self.cleaned_data["period"])


@login_required
def dashboard(request):
    require(can_view_dashboard(request.user))
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None, today=today)
    clock_form = ClockForm(request.GET or None, today=today)
    if form.is_bound and not (form.is_valid() & clock_form.is_valid()):
        # No figures under a filter that did not apply: they would be read as filtered.
        context = {"form": form, "clock_form": clock_form, "figures_html": None, "clock": None}
        return render(request, "followup/dashboard.html", context, status=400)
    parts = (figures_audience(request.user), sorted(request.GET.lists()), translation.get_language(),
             timezone.get_current_timezone_name(), today)
    figures = kept("dashboard", parts, lambda: KeptHtml.of(_figures_html(request.user, form, clock_form, today)))
    request.kept_html = figures  # compressed once, when kept (hruf.kept_gzip)
    context = {"form": form, "clock_form": clock_form, "figures_html": figures.html()}
    return render(request, "followup/dashboard.html", context)


def _figures_html(user, form: DashboardFilterForm, clock_form: ClockForm, today: dt.date) -> SafeString:
    actions = actions_visible_to(user, Action.objects.all())
    countries = countries_visible_to(user, Country.objects.all())
    filters = form.filters() if form.is_bound else Filters()
    figures = dashboard_figures(
        actions=actions,
        benchmarks=Benchmark.objects.all(),
        countries=countries,
        filters=filters,
        today=today,
    )
    # Like warnings and coverage, commitments belong to countries: only the region filter applies.
    commitments = commitment_figures(
        commitments=commitments_visible_to(user, Commitment.objects.filter(
            item__country__in=figures.filters.countries(countries))),
        now=timezone.now(), limit=settings.DASHBOARD_OVERDUE_LIMIT,
    )
    chosen = clock_form.cleaned_data if clock_form.is_bound else {}
    clock = dashboard_clock(
        user=user, region=filters.region, period=chosen.get("clock_period"), gap_days=chosen.get("gap_days"),
        now=timezone.now(),
    )
    return render_to_string("followup/_dashboard_figures.html", {
        "form": form, "clock_form": clock_form, "figures": figures, "commitments": commitments, "clock": clock,
    })
