"""The warnings ledger: list and read warnings with their timeline, and acknowledge one.

Warnings are read as alerts are (hruf.permissions.warnings_visible_to) and carry no evidence: a
warning names its source (an alert, a scan, a period) by id, and whoever wants the evidence reads
the source through its own endpoint, where restricted evidence is withheld as usual.
"""


from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hruf.api.errors import Conflict, refused
from hruf.api.pagination import keyset_in_parts
from hruf.api.schema import ErrorSerializer
from hruf.api.serializers import StrictModelSerializer, StrictSerializer, validated
from hruf.api.viewsets import ScopedMixin
from hruf.permissions import can_acknowledge_warning, require, warnings_visible_to

from ..ledger import LedgerError, link_of, warning_acknowledge
from ..models import EarlyWarning, WarningStep
from ..models.warnings import NOTE_LIMIT

# --- output -------------------------------------------------------------------------


class EarlyWarningSerializer(StrictModelSerializer):
    country = serializers.SlugRelatedField(slug_field="iso3", read_only=True)
    country_name = serializers.CharField(source="country.name", read_only=True)
    region = serializers.CharField(source="country.region.code", read_only=True)
    past_deadline = serializers.SerializerMethodField(
        help_text="Still waiting for acknowledgement and past its act_by deadline."
    )
    acknowledged_by = serializers.StringRelatedField(read_only=True, allow_null=True, help_text="Their name.")
    period = serializers.SerializerMethodField(
        help_text="The period it is about: the silent period, or the period of the scan whose risk rose; "
        "blank for an alert or an escalation."
    )
    params = serializers.DictField(read_only=True, help_text="What triggered it, as plain values (score, change, "
                                   "tier, period, an alert's title and severity ...).")
    url = serializers.SerializerMethodField(help_text="The warning's page on the website.")
    next_step = serializers.CharField(read_only=True, help_text="Who must act next, and how (by act_by), in the "
                                      "request's language; blank once closed.")

    class Meta:
        model = EarlyWarning
        fields = ["id", "country", "country_name", "region", "kind", "severity", "state", "raised_at", "act_by",
                  "past_deadline", "acknowledged_at", "acknowledged_by", "acknowledgement", "alert", "scan", "period",
                  "params", "next_step", "url"]
        read_only_fields = fields
        extra_kwargs = {
            "act_by": {"help_text": "Who must act next must do so by then: acknowledge it while it is raised, "
                       "put it on an agenda once acknowledged."},
            "alert": {"help_text": "The urgent alert it comes from (/api/v1/alerts/{id}/), if any."},
            "scan": {"help_text": "The scan whose risk rose (/api/v1/scans/{id}/), if any."},
        }

    def get_past_deadline(self, warning: EarlyWarning) -> bool:
        return warning.is_past_deadline(self.context.get("now") or timezone.now())

    def get_period(self, warning: EarlyWarning) -> str:
        return warning.period or (warning.scan.period if warning.scan is not None else "")

    def get_url(self, warning: EarlyWarning) -> str:
        request = self.context.get("request")
        link = link_of(warning)
        return request.build_absolute_uri(link) if request else link


class WarningStepSerializer(StrictModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor = serializers.StringRelatedField(read_only=True, allow_null=True, help_text="Their name; null for the system.")
    detail = serializers.CharField(read_only=True, help_text="What the step adds, in the language of the request.")

    class Meta:
        model = WarningStep
        fields = ["kind", "kind_label", "at", "actor", "note", "detail"]
        read_only_fields = fields


class EarlyWarningDetailSerializer(EarlyWarningSerializer):
    timeline = WarningStepSerializer(source="steps", many=True, read_only=True, help_text="Its steps, in time order.")
    can_acknowledge = serializers.SerializerMethodField(
        help_text="Whether you may acknowledge it now: it is not acknowledged yet and you answer for it."
    )

    class Meta(EarlyWarningSerializer.Meta):
        fields = [*EarlyWarningSerializer.Meta.fields, "can_acknowledge", "timeline"]
        read_only_fields = fields

    def get_can_acknowledge(self, warning: EarlyWarning) -> bool:
        request = self.context["request"]
        return warning.awaits_acknowledgement and can_acknowledge_warning(request.user, warning)


# --- input --------------------------------------------------------------------------


class AcknowledgeSerializer(StrictSerializer):
    note = serializers.CharField(
        max_length=NOTE_LIMIT, help_text="What will be done, in a few words: who looks into it, and when it comes "
        "before the review.",
    )


# --- filters --------------------------------------------------------------------------


class MomentField(forms.Field):
    """An ISO 8601 date and time, or a date meaning its first moment; without an offset, in the
    server's time zone."""

    default_error_messages = {
        "invalid": _("Enter a date (2026-03-01) or an ISO 8601 date and time (2026-03-01T14:30:00+00:00)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            moment = parse_datetime(str(value).strip())
            if moment is None:
                raise ValueError
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            # Out of range once in UTC (year 1 or 9999 with an offset): refused here, not by the database.
            return moment.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class MomentFilter(filters.Filter):
    field_class = MomentField


STATE_CHOICES = [("open", _("Open: raised or acknowledged")), *EarlyWarning.State.choices]


class WarningFilter(filters.FilterSet):
    country = filters.CharFilter(method="by_country", max_length=3, help_text="ISO 3166 alpha-3 code.")
    region = filters.CharFilter(field_name="country__region__code", max_length=40, help_text="Region code.")
    kind = filters.ChoiceFilter(choices=EarlyWarning.Kind.choices)
    severity = filters.ChoiceFilter(choices=EarlyWarning.Severity.choices)
    state = filters.ChoiceFilter(
        method="by_state", choices=STATE_CHOICES, help_text="A state, or `open`: raised or acknowledged."
    )
    # Half-open, so that consecutive ranges neither overlap nor leave a gap.
    raised_after = MomentFilter(field_name="raised_at", lookup_expr="gte")
    raised_before = MomentFilter(field_name="raised_at", lookup_expr="lt")

    class Meta:
        model = EarlyWarning
        fields = ["country", "region", "kind", "severity", "state", "raised_after", "raised_before"]

    def by_country(self, queryset, name, value):
        return queryset.filter(country__iso3=value.upper())

    def by_state(self, queryset, name, value):
        return queryset.open() if value == "open" else queryset.filter(state=value)


_MOMENT = {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]}
_MOMENTS = [
    OpenApiParameter("raised_after", _MOMENT, description="Raised at or after this moment: an ISO 8601 date and "
                     "time, or a date meaning its start; without an offset, in UTC (the server's time zone)."),
    OpenApiParameter("raised_before", _MOMENT, description="Raised before this moment (not at it), read as "
                     "raised_after is: raised_after=2026-03-01&raised_before=2026-04-01 is March."),
]


# --- endpoints ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Warnings you may read",
        description="Every warning in your scope. Open ones (raised or acknowledged) come first, the oldest "
        "act_by deadline leading, then the oldest raised; then the others, newest raised first.",
        parameters=_MOMENTS,
    ),
    retrieve=extend_schema(summary="One warning with its timeline"),
)
class WarningViewSet(ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The warnings ledger: each warning that a country may be sliding (an urgent alert, a risk that
    rose, a country gone silent, an escalation to the SAG), who must act on it by when, and what
    was done. Read by whoever reads the country; acknowledged by the region's chairs or EOSG."""

    scope = staticmethod(warnings_visible_to)
    queryset = EarlyWarning.objects.select_related("country__region", "scan", "acknowledged_by")
    serializer_class = EarlyWarningSerializer
    filterset_class = WarningFilter
    # Open ones first by for_attention's order, then the answered ones newest first: each part through its index.
    pagination_class = keyset_in_parts(
        (Q(state__in=EarlyWarning.OPEN_STATES), ("act_by", "raised_at", "id")),
        (~Q(state__in=EarlyWarning.OPEN_STATES), ("-raised_at", "-id")),
    )

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset
        return queryset.prefetch_related(Prefetch("steps", queryset=WarningStep.objects.select_related("actor")))

    def get_serializer_class(self):
        return EarlyWarningSerializer if self.action == "list" else EarlyWarningDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(
        request=AcknowledgeSerializer,
        responses={200: EarlyWarningDetailSerializer, 409: OpenApiResponse(
            ErrorSerializer, description="Already acknowledged: the first acknowledgement stands, and the message "
            "says who made it, when, and what they said. Nothing was written.")},
        summary="Acknowledge a warning, saying what will be done",
        description="The region's chairs acknowledge a warning of their region, EOSG any warning (and alone an "
        "escalation or an alert flagged for the SAG). The country's officers are told.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def acknowledge(self, request, pk=None):
        warning = self.get_object()
        require(can_acknowledge_warning(request.user, warning))
        note = validated(AcknowledgeSerializer, request)["note"]
        try:
            warning_acknowledge(warning=warning, actor=request.user, note=note)
        except LedgerError as exc:
            # The ledger reloads the warning before it refuses a second acknowledgement.
            raise (Conflict(str(exc)) if warning.is_acknowledged else refused(exc)) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=warning.pk)).data)
