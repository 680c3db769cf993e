"""Scans: list and read, start, save and submit a draft, amend. Writes go through scans.services,
whose refusals are mapped onto the API's one error format; serializers only shape input and output."""


from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from hruf.api.errors import LOCK_MAX, Conflict, refused
from hruf.api.pagination import keyset
from hruf.api.schema import ErrorSerializer
from hruf.api.serializers import StrictModelSerializer, StrictSerializer, validated
from hruf.api.viewsets import ScopedMixin
from hruf.audit import audit_read_restricted
from hruf.ids import MAX_ID
from hruf.permissions import (
    can_file_for,
    countries_visible_to,
    require,
    scans_visible_to,
)

from .. import services
from ..models import Confidence, Rating, Scan, ScanRevision, Trend
from ..models.scans import NARRATIVE_LIMIT, TEXT_LIMIT
from ..periods import Period
from ..scoring import Tier
from ..selectors import ratings_read_by
from .evidence import WithheldEvidenceFields

# --- scans: output -------------------------------------------------------------------


class SubmissionSerializer(StrictModelSerializer):
    class Meta:
        model = ScanRevision
        fields = ["number", "submitted_at", "score", "tier", "worsening"]
        read_only_fields = fields


class ScanSerializer(StrictModelSerializer):
    country = serializers.SlugRelatedField(slug_field="iso3", read_only=True)
    country_name = serializers.CharField(source="country.name", read_only=True)
    region = serializers.CharField(source="country.region.code", read_only=True)
    submitted = SubmissionSerializer(
        source="submitted_revision", read_only=True, allow_null=True,
        help_text="The submitted revision everyone in scope reads; null while the scan is only a draft.",
    )

    class Meta:
        model = Scan
        fields = ["id", "country", "country_name", "region", "period", "period_kind", "period_start", "created_at",
                  "submitted"]


class RatingSerializer(WithheldEvidenceFields, StrictModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    # Declared: DRF drops allow_blank from read-only model fields, and a draft's rows may be blank.
    trend = serializers.ChoiceField(choices=Trend.choices, allow_blank=True, read_only=True)
    confidence = serializers.ChoiceField(choices=Confidence.choices, allow_blank=True, read_only=True)
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Rating
        fields = ["id", "indicator", "case_indicator", "label", "rating", "trend", "evidence", "evidence_withheld",
                  "evidence_from", "confidence", "restricted"]
        read_only_fields = fields


class RevisionSerializer(StrictModelSerializer):
    matrix_version = serializers.SlugRelatedField(slug_field="number", read_only=True)
    # Declared: DRF drops allow_blank from read-only model fields, and a draft has no tier yet.
    tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, read_only=True)
    ratings = RatingSerializer(source="rating_rows", many=True, read_only=True)

    class Meta:
        model = ScanRevision
        fields = ["number", "status", "lock_version", "matrix_version", "narrative", "amendment_reason", "saved_at",
                  "submitted_at", "score", "tier", "worsening", "ratings"]
        read_only_fields = fields


class ScanDetailSerializer(ScanSerializer):
    submitted = RevisionSerializer(source="submitted_revision", read_only=True, allow_null=True)
    draft = RevisionSerializer(
        source="draft_revision", read_only=True, allow_null=True,
        help_text="The open draft (a first filing or an amendment): only the country's officers see it.",
    )
    can_file = serializers.BooleanField(read_only=True, help_text="Whether you may edit and submit this scan.")

    class Meta(ScanSerializer.Meta):
        fields = [*ScanSerializer.Meta.fields, "draft", "can_file"]


# --- scans: input --------------------------------------------------------------------


class ScanCreateSerializer(StrictSerializer):
    country = serializers.CharField(max_length=3, help_text="ISO 3166 alpha-3 code of a country you file for.")
    period = serializers.CharField(max_length=8, help_text="A quarter such as 2026-Q3, or a month such as 2026-07.")

    def validate_period(self, value) -> Period:
        try:
            return Period.parse(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class RatingInputSerializer(StrictSerializer):
    """One rating row; fields left out keep their saved value."""

    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    rating = serializers.IntegerField(min_value=0, max_value=3, allow_null=True, required=False)
    trend = serializers.ChoiceField(choices=Trend.choices, allow_blank=True, required=False)
    evidence = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, required=False)
    confidence = serializers.ChoiceField(choices=Confidence.choices, allow_blank=True, required=False)
    restricted = serializers.BooleanField(required=False)
    evidence_confirmed = serializers.BooleanField(
        required=False, help_text="True: the evidence carried from an earlier period still holds as it stands."
    )


class DraftInputSerializer(StrictSerializer):
    required_on_patch = True  # validated whole even on PATCH: lock_version is never optional

    lock_version = serializers.IntegerField(
        min_value=0, max_value=LOCK_MAX,
        help_text="The draft's lock_version as you last read it; a newer save elsewhere answers 409.",
    )
    narrative = serializers.CharField(max_length=NARRATIVE_LIMIT, allow_blank=True, required=False)
    amendment_reason = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, required=False)
    ratings = RatingInputSerializer(many=True, required=False, max_length=500)

    def validate_ratings(self, rows):
        ids = [row["id"] for row in rows]
        if len(ids) != len(set(ids)):
            raise ValidationError(_("Each rating may appear only once."))
        return rows


def _service_arguments(revision: ScanRevision, user, data: dict) -> dict:
    """What the save and submit services take: every rating of the draft, the ones the request
    leaves out (or leaves fields out of) keeping their saved values."""
    current = {r.pk: r for r in revision.ratings.all()}
    given = {row["id"]: row for row in data.get("ratings", [])}
    stray = sorted(set(given) - set(current))
    if stray:
        raise ValidationError({"ratings": {str(pk): {"id": [_("Not a rating of this scan's draft.")]} for pk in stray}})
    ratings = {
        pk: services.RatingData(
            **{name: given.get(pk, {}).get(name, getattr(r, name)) for name in services.RATING_FIELDS},
            evidence_confirmed=given.get(pk, {}).get("evidence_confirmed", False),
        )
        for pk, r in current.items()
    }
    return {
        "revision": revision,
        "actor": user,
        "lock_version": data["lock_version"],
        "ratings": ratings,
        "narrative": data.get("narrative", revision.narrative),
        "amendment_reason": data.get("amendment_reason", revision.amendment_reason),
    }


# --- scans: filters and endpoints ------------------------------------------------------------


def _period(value: str, name: str) -> Period:
    try:
        return Period.parse(value)
    except ValueError as exc:
        raise ValidationError({name: [str(exc)]}) from None


class ScanFilter(filters.FilterSet):
    country = filters.CharFilter(method="by_country", max_length=3, help_text="ISO 3166 alpha-3 code.")
    region = filters.CharFilter(field_name="country__region__code", max_length=40, help_text="Region code.")
    period = filters.CharFilter(method="by_period", max_length=8, help_text="Exactly this period: 2026-Q3 or 2026-07.")
    period_from = filters.CharFilter(method="by_period", max_length=8, help_text="Periods starting in or after this one.")
    period_to = filters.CharFilter(method="by_period", max_length=8, help_text="Periods starting in or before this one.")
    tier = filters.ChoiceFilter(field_name="submitted_revision__tier", choices=Tier.choices, help_text="Submitted tier.")
    status = filters.ChoiceFilter(
        method="by_status", choices=[("draft", "draft"), ("submitted", "submitted")],
        help_text="draft: never submitted yet; submitted: has a submitted revision.",
    )

    class Meta:
        model = Scan
        fields = ["country", "region", "period", "period_from", "period_to", "tier", "status"]

    def by_country(self, queryset, name, value):
        return queryset.filter(country__iso3=value.upper())

    def by_period(self, queryset, name, value):
        period = _period(value, name)
        if name == "period_from":
            return queryset.filter(period_start__gte=period.start)
        if name == "period_to":
            return queryset.filter(period_start__lte=period.end)
        return queryset.filter(period=period.code)

    def by_status(self, queryset, name, value):
        return queryset.filter(submitted_revision__isnull=value == "draft")


_CONFLICT = {409: ErrorSerializer}


@extend_schema_view(
    list=extend_schema(summary="Scans you may read", description="Submitted scans in your scope, and your own "
                       "countries' drafts. The summary is the submitted revision's."),
    retrieve=extend_schema(summary="One scan with its ratings", description="Restricted evidence is withheld "
                           "(empty, with evidence_withheld) unless you may read it."),
)
class ScanViewSet(ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Human rights scans: one per country and period. Officers file them (start, save the draft,
    submit, amend); everyone in scope reads the submitted revision."""

    scope = staticmethod(scans_visible_to)
    queryset = Scan.objects.select_related("country__region", "submitted_revision__matrix_version")
    pagination_class = keyset("-period_start", "-id")  # the latest periods first
    serializer_class = ScanSerializer
    filterset_class = ScanFilter

    def get_serializer_class(self):
        return ScanSerializer if self.action == "list" else ScanDetailSerializer

    def retrieve(self, request, pk=None):
        return Response(self._detail(self.get_object()))

    @extend_schema(request=ScanCreateSerializer, responses={201: ScanDetailSerializer, **_CONFLICT},
                   summary="Start a scan (a draft pre-filled with the last submitted ratings)")
    def create(self, request):
        data = validated(ScanCreateSerializer, request)
        country = countries_visible_to(request.user).filter(iso3=data["country"].upper()).first()
        if country is None:  # out of scope reads the same as nonexistent
            raise ValidationError({"country": [_("No country with this code.")]})
        require(can_file_for(request.user, country))
        try:
            scan = services.scan_start(country=country, period=data["period"], actor=request.user)
        except services.ScanExists as exc:
            raise Conflict(str(exc)) from None
        except services.ScanError as exc:
            raise refused(exc) from None
        return Response(self._detail(self.get_queryset().get(pk=scan.pk)), status=status.HTTP_201_CREATED)

    @extend_schema(request=DraftInputSerializer, responses={200: ScanDetailSerializer, **_CONFLICT},
                   summary="Save the draft", description="Compare-and-set on lock_version: if the draft was "
                   "saved elsewhere since you read it, 409 and nothing is written.")
    def partial_update(self, request, pk=None):
        scan, revision = self._draft_for_filing()
        arguments = _service_arguments(revision, request.user, validated(DraftInputSerializer, request))
        try:
            services.scan_save_draft(**arguments)
        except services.StaleEdit as exc:
            raise Conflict(str(exc)) from None
        except services.ScanError as exc:
            raise refused(exc) from None
        return Response(self._detail(scan))

    @extend_schema(request=DraftInputSerializer, responses={200: ScanDetailSerializer, **_CONFLICT},
                   summary="Submit the draft (with any last changes)", description="Every indicator must be "
                   "rated, ratings 2 and 3 need evidence, an amendment needs a reason: otherwise 400 with the "
                   "problems under fields.ratings.<rating id> and nothing is written.")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        scan, revision = self._draft_for_filing()
        arguments = _service_arguments(revision, request.user, validated(DraftInputSerializer, request))
        try:
            services.scan_submit(**arguments)
        except services.ScanIncomplete as exc:
            fields = {name: [message] for name, message in exc.form_errors.items()}
            if exc.rating_errors:
                fields["ratings"] = {
                    str(pk): {name: [message] for name, message in errors.items()}
                    for pk, errors in exc.rating_errors.items()
                }
            raise ValidationError(fields) from None
        except (services.StaleEdit, services.IndicatorsAdded) as exc:
            raise Conflict(str(exc)) from None
        except services.ScanError as exc:
            raise refused(exc) from None
        return Response(self._detail(self.get_queryset().get(pk=scan.pk)))

    @extend_schema(request=None, responses={200: ScanDetailSerializer, **_CONFLICT},
                   summary="Amend a submitted scan (opens a draft revision copying it)")
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        scan = self.get_object()
        require(can_file_for(request.user, scan.country))
        try:
            services.scan_amend(scan=scan, actor=request.user)
        except services.ScanError as exc:
            raise Conflict(str(exc)) from None
        return Response(self._detail(scan))

    def _draft_for_filing(self) -> tuple[Scan, ScanRevision]:
        scan = self.get_object()
        require(can_file_for(self.request.user, scan.country))
        revision = scan.revisions.drafts().first()
        if revision is None:
            raise Conflict(_("This scan has been submitted and has no open draft: amend it to change it."))
        return scan, revision

    def _detail(self, scan: Scan) -> dict:
        user = self.request.user
        files = can_file_for(user, scan.country)
        draft = scan.revisions.drafts().select_related("matrix_version").first() if files else None
        shown = [r for r in (scan.submitted_revision, draft) if r is not None]
        read = ratings_read_by(user, [r.pk for r in shown])
        for revision in shown:
            revision.rating_rows = read[revision.pk].items
        scan.draft_revision, scan.can_file = draft, files
        data = ScanDetailSerializer(scan, context=self.get_serializer_context()).data
        shown_restricted = sum(r.restricted_shown for r in read.values())
        if shown_restricted:
            audit_read_restricted(request=self.request, obj=scan, detail={"api": True, "ratings": shown_restricted})
        return data
