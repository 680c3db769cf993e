"""Urgent alerts: list, read, raise. Restricted evidence is withheld unless the reader may see it,
and reading it is recorded in the audit trail."""


from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from hruf.api.pagination import keyset
from hruf.api.serializers import StrictModelSerializer, StrictSerializer, validated
from hruf.api.viewsets import ScopedMixin
from hruf.audit import audit_read_restricted, audit_record
from hruf.models import AuditEvent
from hruf.permissions import (
    alerts_visible_to,
    can_file_for,
    countries_visible_to,
    require,
)

from .. import services
from ..models import Alert
from ..models.scans import NARRATIVE_LIMIT, TEXT_LIMIT
from ..selectors import alerts_read_by
from .evidence import WithheldEvidenceFields

# --- urgent alerts ---------------------------------------------------------------------


class AlertSerializer(WithheldEvidenceFields, StrictModelSerializer):
    country = serializers.SlugRelatedField(slug_field="iso3", read_only=True)
    country_name = serializers.CharField(source="country.name", read_only=True)
    region = serializers.CharField(source="country.region.code", read_only=True)
    raised_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Alert
        fields = ["id", "country", "country_name", "region", "title", "location", "severity", "description",
                  "evidence", "evidence_restricted", "evidence_withheld", "raised_by", "raised_at", "sag_flagged_at",
                  "sag_flag_reason"]
        read_only_fields = fields


class AlertInputSerializer(StrictSerializer):
    country = serializers.CharField(max_length=3, help_text="ISO 3166 alpha-3 code of a country you file for.")
    title = serializers.CharField(max_length=200)
    location = serializers.CharField(max_length=200)
    severity = serializers.ChoiceField(choices=Alert.Severity.choices)
    description = serializers.CharField(max_length=NARRATIVE_LIMIT)
    evidence = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, required=False, default="")
    evidence_restricted = serializers.BooleanField(required=False, default=True)
    submission_key = serializers.UUIDField(
        required=False, default=None, allow_null=True,
        help_text="Any UUID naming this sending: sent again with the same key, the answer is 200 with the alert the "
                  "first sending raised, and nothing is raised twice.",
    )


class AlertFilter(filters.FilterSet):
    country = filters.CharFilter(method="by_country", max_length=3, help_text="ISO 3166 alpha-3 code.")
    region = filters.CharFilter(field_name="country__region__code", max_length=40, help_text="Region code.")
    severity = filters.ChoiceFilter(choices=Alert.Severity.choices)
    raised_from = filters.DateFilter(field_name="raised_at", lookup_expr="date__gte", help_text="Raised on or after.")
    raised_to = filters.DateFilter(field_name="raised_at", lookup_expr="date__lte", help_text="Raised on or before.")
    flagged_for_sag = filters.BooleanFilter(field_name="sag_flagged_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Alert
        fields = ["country", "region", "severity", "raised_from", "raised_to", "flagged_for_sag"]

    def by_country(self, queryset, name, value):
        return queryset.filter(country__iso3=value.upper())


@extend_schema_view(
    list=extend_schema(summary="Urgent alerts you may read"),
    retrieve=extend_schema(summary="One urgent alert"),
)
class AlertViewSet(ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Urgent alerts, raised by a country's officers between scans. Restricted evidence is withheld
    (empty, with evidence_withheld) unless you may read it."""

    scope = staticmethod(alerts_visible_to)
    queryset = Alert.objects.select_related("country__region", "raised_by").order_by("-raised_at", "-pk")
    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    pagination_class = keyset("-raised_at", "-id")  # the newest first

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        read = alerts_read_by(request.user, queryset if page is None else page)
        data = self.get_serializer(read.items, many=True).data
        self._audit(read)
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        read = alerts_read_by(request.user, [self.get_object()])
        data = self.get_serializer(read.items[0]).data
        self._audit(read)
        return Response(data)

    def _audit(self, read) -> None:
        shown = read.restricted_read
        if len(shown) == 1:
            audit_read_restricted(request=self.request, obj=shown[0], detail={"api": True})
        elif shown:
            audit_record(
                actor=self.request.user, action=AuditEvent.Action.READ_RESTRICTED, request=self.request,
                label="alerts", detail={"api": True, "alerts": [a.pk for a in shown]},
            )

    @extend_schema(request=AlertInputSerializer, responses={201: AlertSerializer, 200: AlertSerializer},
                   summary="Raise an urgent alert", description="The region's chairs and EOSG are notified at once.")
    def create(self, request):
        data = dict(validated(AlertInputSerializer, request))
        country = countries_visible_to(request.user).filter(iso3=data.pop("country").upper()).first()
        if country is None:
            raise ValidationError({"country": [_("No country with this code.")]})
        require(can_file_for(request.user, country))
        answer = status.HTTP_201_CREATED
        try:
            alert = services.alert_raise(country=country, actor=request.user, **data)
        except services.AlertAlreadySent as exc:
            alert, answer = exc.alert, status.HTTP_200_OK
        # The officer who raised it reads back what they typed: not a read to audit.
        alert = alerts_read_by(request.user, [self.get_queryset().get(pk=alert.pk)]).items[0]
        return Response(self.get_serializer(alert).data, status=answer)
