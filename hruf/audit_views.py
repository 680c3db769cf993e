"""The audit trail, browsed by EOSG and administrators: newest first, filtered, each change before and after.

Read-only by construction: there is no form here that writes, and the model refuses edits anyway.
"""

import datetime as dt
import json

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .audit import AUDITED_TYPES
from .forms import CountryChoiceField
from .models import AuditEvent, Country
from .permissions import can_browse_audit, require

PAGE_SIZE = 50


def _type_labels() -> dict[str, str]:
    return {label: capfirst(apps.get_model(label)._meta.verbose_name) for label in AUDITED_TYPES}


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label=gettext_lazy("Who"), required=False, max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": gettext_lazy("name or user name")}),
    )
    action = forms.ChoiceField(
        label=gettext_lazy("What"), required=False,
        choices=[("", gettext_lazy("Any")), *AuditEvent.Action.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    object_type = forms.ChoiceField(
        label=gettext_lazy("Object type"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    object_id = forms.CharField(
        label=gettext_lazy("Object id"), required=False, max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control", "size": 8}),
    )
    country = CountryChoiceField(
        label=gettext_lazy("Country"), required=False, queryset=Country.objects.order_by("name"),
        empty_label=gettext_lazy("Any"), widget=forms.Select(attrs={"class": "form-select"}),
    )
    since = forms.DateField(
        label=pgettext_lazy("start of a date range", "From"), required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=pgettext_lazy("end of a date range", "To"), required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, type_labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("Any")), *type_labels.items()]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The first day comes after the last one."))
        return data

    def apply(self, events):
        d = self.cleaned_data
        if d["actor"]:
            events = events.filter(actor_label__icontains=d["actor"])
        for name in ("action", "object_type", "object_id", "country"):
            if d[name]:
                events = events.filter(**{name: d[name]})
        if d["since"]:
            events = events.filter(at__gte=_start_of(d["since"]))
        if d["until"]:
            events = events.filter(at__lt=_start_of(d["until"] + dt.timedelta(days=1)))
        return events


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _rows(mapping: dict) -> list:
    return [(name, *(_shown(v) for v in pair)) for name, pair in mapping.items() if isinstance(pair, list) and len(pair) == 2]


@login_required
def audit_list(request):
    require(can_browse_audit(request.user))
    type_labels = _type_labels()
    params = request.GET.copy()
    params.pop("page", None)
    form = AuditFilterForm(params or None, type_labels=type_labels)
    events = AuditEvent.objects.select_related("country")
    if form.is_bound:
        events = form.apply(events) if form.is_valid() else events.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.change_rows = _rows(event.changes)
        event.detail_rows = [(k, _shown(v)) for k, v in event.detail.items()]
        event.type_label = type_labels.get(event.object_type, event.object_type)
    return render(
        request,
        "hruf/audit_list.html",
        {"form": form, "page": page, "filtered": form.is_bound},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
