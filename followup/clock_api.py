"""The warning-to-response clock in GET /api/v1/dashboard/: the page's figures, durations in hours."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from scans.clock import hours


class HoursField(serializers.FloatField):
    """A clock duration (a timedelta or None) as hours, two decimals."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return hours(value)


class StageSerializer(serializers.Serializer):
    stage = serializers.CharField(help_text=_("acknowledged, on_agenda, decided, plan_adopted or first_action"))
    label = serializers.CharField()
    count = serializers.IntegerField(help_text=_("Warnings that reached this stage."))
    median_hours = HoursField(source="median", help_text=_("Nearest-rank median of the time from raised, in hours."))
    p90_hours = HoursField(source="p90", help_text=_("Nearest-rank 90th percentile, in hours."))


class ClockGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    warnings = serializers.IntegerField()
    stages = StageSerializer(many=True)


class GroupingSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=["region", "kind", "severity"])
    label = serializers.CharField()
    groups = ClockGroupSerializer(many=True)


class GapRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="warning.pk", help_text=_("The warning (/api/v1/warnings/{id}/)."))
    country = serializers.CharField(source="warning.country.iso3")
    kind = serializers.CharField(source="warning.kind")
    severity = serializers.CharField(source="warning.severity")
    state = serializers.CharField(source="warning.state")
    raised_at = serializers.DateTimeField(source="warning.raised_at")
    days_open = serializers.IntegerField()


class ClockSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.code", allow_null=True, help_text=_("Warnings raised in it; null: all."))
    warnings = serializers.IntegerField(help_text=_("Warnings raised in the period."))
    stages = StageSerializer(many=True)
    groupings = GroupingSerializer(many=True)
    gap_days = serializers.IntegerField()
    gap_count = serializers.IntegerField(help_text=_("Warnings older than gap_days, not closed, with no decision nor plan."))
    gap = GapRowSerializer(many=True, help_text=_("The oldest of them, at most overdue_limit."))
