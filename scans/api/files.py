"""Evidence files over the API: listed and read as the pages serve them (hruf.permissions), attached by
the country's officers with a multipart upload, their content fetched from `content/` (audited when
restricted)."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.reverse import reverse

from hruf.api.pagination import keyset
from hruf.api.schema import ErrorSerializer
from hruf.api.serializers import StrictModelSerializer
from hruf.api.viewsets import ScopedMixin, created
from hruf.audit import audit_read_restricted
from hruf.ids import MAX_ID
from hruf.permissions import (
    alerts_visible_to,
    can_file_for,
    evidence_files_visible_to,
    get_visible_or_404,
    require,
    scans_visible_to,
)

from ..evidence import EvidenceRefused, attach_to_alert, attach_to_rating
from ..models import Alert, EvidenceFile, Rating, Scan


class EvidenceFileSerializer(StrictModelSerializer):
    uploaded_by = serializers.StringRelatedField(read_only=True)
    content = serializers.SerializerMethodField(help_text="Where to fetch the file itself.")

    class Meta:
        model = EvidenceFile
        fields = ["id", "rating", "alert", "name", "kind", "content_type", "size", "sha256", "uploaded_by",
                  "uploaded_at", "content"]
        read_only_fields = fields

    def get_content(self, obj) -> str:
        return reverse("evidence-file-content", args=[obj.pk], request=self.context.get("request"))


class EvidenceUploadSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                      help_text="A rating of a draft scan of a country you file for.")
    alert = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                     help_text="An alert of a country you file for.")
    file = serializers.FileField(help_text="A photo, a PDF or office document, or an audio recording.")

    def validate(self, data):
        if ("rating" in data) == ("alert" in data):
            raise ValidationError({"rating": [_("Give either a rating or an alert.")]})
        return data


class EvidenceFileFilter(filters.FilterSet):
    rating = filters.NumberFilter(field_name="rating_id", min_value=1, max_value=MAX_ID)
    alert = filters.NumberFilter(field_name="alert_id", min_value=1, max_value=MAX_ID)

    class Meta:
        model = EvidenceFile
        fields = ["rating", "alert"]


@extend_schema_view(
    list=extend_schema(summary="Evidence files you may read"),
    retrieve=extend_schema(summary="One evidence file's record"),
)
class EvidenceFileViewSet(ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Files attached to ratings and alerts: name, kind, type, size, SHA-256 digest, uploader and time."""

    scope = staticmethod(evidence_files_visible_to)
    queryset = EvidenceFile.objects.select_related("uploaded_by", "rating", "alert").order_by("-uploaded_at", "-pk")
    serializer_class = EvidenceFileSerializer
    filterset_class = EvidenceFileFilter
    pagination_class = keyset("-uploaded_at", "-id")  # the newest first

    def get_parsers(self):
        if getattr(self, "action", None) == "create" or self.request is not None and self.request.method == "POST":
            return [MultiPartParser()]
        return super().get_parsers()

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceFileSerializer,
                   404: OpenApiResponse(ErrorSerializer, description="No such rating or alert, or one outside your scope."),
                   415: OpenApiResponse(ErrorSerializer, description="Not a multipart upload.")},
        summary="Attach a file to a rating of a draft, or to an alert",
    )
    def create(self, request):
        upload = EvidenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        try:
            if "rating" in data:
                drafts = scans_visible_to(request.user, Scan.objects.all())
                rating = get_visible_or_404(Rating.objects.filter(revision__scan__in=drafts).select_related(
                    "revision__scan__country"), pk=data["rating"])
                require(can_file_for(request.user, rating.revision.scan.country))  # a reader, not a filer: 403
                evidence = attach_to_rating(actor=request.user, rating=rating, upload=data["file"])
            else:
                alert = get_visible_or_404(alerts_visible_to(request.user, Alert.objects.select_related("country")),
                                           pk=data["alert"])
                require(can_file_for(request.user, alert.country))
                evidence = attach_to_alert(actor=request.user, alert=alert, upload=data["file"])
        except EvidenceRefused as exc:
            raise ValidationError({"file": [str(exc)]}) from None
        body = self.get_serializer(evidence).data
        return created(body, reverse("evidence-file-detail", args=[evidence.pk], request=request))

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
                   summary="The file itself")
    @action(detail=True, methods=["get"])
    def content(self, request, pk=None):
        evidence = self.get_object()
        if evidence.restricted:
            audit_read_restricted(request=request, obj=evidence, detail={"api": True, "download": True})
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name,
                            content_type=evidence.content_type)
