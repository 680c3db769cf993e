"""/api/v1/commitments/: what each recorded decision committed to, read as its decision is
(hruf.permissions.commitments_visible_to). Written only by the services that make and fulfil them."""

import django_filters
from rest_framework import serializers

from hruf.api.pagination import keyset
from hruf.api.serializers import StrictModelSerializer
from hruf.api.viewsets import ScopedReadOnlyViewSet
from hruf.permissions import commitments_visible_to

from .models import Commitment


class CommitmentSerializer(StrictModelSerializer):
    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    country = serializers.CharField(source="item.country.iso3", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    late = serializers.BooleanField(source="is_late", read_only=True)
    escalated = serializers.BooleanField(source="is_escalated", read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "item", "meeting", "country", "kind", "kind_label", "state", "created_at", "due_at",
                  "fulfilled_at", "superseded_at", "late", "ladder_step", "escalated"]
        read_only_fields = fields


class CommitmentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Commitment.Kind.choices)
    state = django_filters.ChoiceFilter(choices=Commitment.State.choices)

    class Meta:
        model = Commitment
        fields = ["kind", "state"]


class CommitmentViewSet(ScopedReadOnlyViewSet):
    """Commitments of the decisions you may read, soonest due first: a plan adopted, the case taken by a
    SAG meeting, enhanced reporting answered, or the country discussed again; with when each was due,
    when it was met (late if after), and how far its ladder has told (escalated: to its last rung)."""

    scope = staticmethod(commitments_visible_to)
    # Of the agenda item only what the answer shows: its other columns are the discussion's long texts.
    queryset = Commitment.objects.select_related("item__country").only(
        *(f.attname for f in Commitment._meta.concrete_fields), "item__meeting_id", "item__country__iso3")
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    pagination_class = keyset("due_at", "id")
