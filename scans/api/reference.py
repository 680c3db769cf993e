"""Countries with their last score, and the indicator matrix."""


from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from hruf.api.serializers import StrictModelSerializer, StrictSerializer
from hruf.api.viewsets import ScopedReadOnlyViewSet
from hruf.models import Country
from hruf.permissions import (
    countries_visible_to,
)

from ..models import Indicator, MatrixVersion
from ..scoring import Tier
from ..selectors import with_latest_scores

# --- countries ----------------------------------------------------------------------


class CountrySerializer(StrictModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    last_period = serializers.CharField(read_only=True, allow_null=True, help_text="Period of the last submitted scan.")
    last_score = serializers.IntegerField(read_only=True, allow_null=True)
    last_tier = serializers.ChoiceField(choices=Tier.choices, read_only=True, allow_null=True)
    score_change = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Last score minus the one before it."
    )

    class Meta:
        model = Country
        fields = [
            "iso3", "iso2", "name", "region", "region_name", "enhanced_reporting", "monthly_from",
            "last_period", "last_score", "last_tier", "score_change",
        ]


class CountryFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__code", max_length=40, help_text="Region code.")

    class Meta:
        model = Country
        fields = ["region", "enhanced_reporting"]


@extend_schema_view(
    list=extend_schema(summary="Countries you may read, with their last score and tier"),
    retrieve=extend_schema(summary="One country"),
)
class CountryViewSet(ScopedReadOnlyViewSet):
    """Countries in your scope, with the score, tier and period of their last submitted scan and
    the change since the scan before it. Looked up by ISO 3166 alpha-3 code."""

    scope = staticmethod(countries_visible_to)
    queryset = Country.objects.order_by("name")
    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    lookup_field = "iso3"
    lookup_value_regex = r"[A-Za-z0-9]{3}"

    def get_queryset(self):
        return with_latest_scores(super().get_queryset())

    def get_object(self):
        self.kwargs["iso3"] = self.kwargs["iso3"].upper()
        return super().get_object()


# --- the indicator matrix --------------------------------------------------------


_TRANSLATIONS = ("The texts in the other official languages, {language: {field: text}}; a text missing from it "
                 "reads in English.")


class RiskFactorSerializer(StrictSerializer):
    number = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    group = serializers.CharField(read_only=True)
    translations = serializers.JSONField(read_only=True, help_text=_TRANSLATIONS)


class IndicatorSerializer(StrictModelSerializer):
    risk_factors = RiskFactorSerializer(many=True, read_only=True)
    translations = serializers.JSONField(read_only=True, help_text=_TRANSLATIONS)

    class Meta:
        model = Indicator
        fields = ["code", "position", "name", "question", "guidance", "translations", "risk_factors"]


class MatrixVersionSerializer(StrictModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = MatrixVersion
        fields = ["number", "notes", "published_at", "indicators"]


@extend_schema_view(
    list=extend_schema(summary="Published versions of the indicator matrix"),
    retrieve=extend_schema(summary="One version of the indicator matrix"),
)
class MatrixVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """The indicator matrix every scan rates: reference data, read by every signed-in person.
    Each scan keeps the version it was filed with."""

    queryset = MatrixVersion.objects.published().prefetch_related(
        Prefetch("indicators", Indicator.objects.order_by("position").prefetch_related("risk_factors"))
    )
    serializer_class = MatrixVersionSerializer
    lookup_field = "number"
    filter_backends = []

    @extend_schema(summary="The current indicator matrix (new scans use it)")
    @action(detail=False, pagination_class=None)
    def current(self, request):
        version = self.get_queryset().order_by("-number").first()
        if version is None:
            raise NotFound(_("No indicator matrix has been published yet."))
        return Response(self.get_serializer(version).data)
