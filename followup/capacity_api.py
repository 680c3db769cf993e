"""REST endpoints of the capacity register and the surge board (registered with follow-up's in api.py).

Reads are scoped by hruf.permissions (a deployment is read with its country); EOSG adds and changes
deployments through followup.capacity.deployment_save, whose refusals (dates, overlaps, an action of another
country) answer 400 under their field, and a stale `lock_version` 409.
"""

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse

from hruf.api.errors import service_refusals
from hruf.api.schema import LOCATION
from hruf.api.serializers import StrictModelSerializer, StrictSerializer
from hruf.api.viewsets import ScopedMixin, created
from hruf.figures_cache import kept
from hruf.permissions import (
    can_keep_capacity,
    can_read_any_country,
    deployments_visible_to,
    figures_audience,
    require,
)
from scans.scoring import Tier

from . import capacity
from .models import Action, Deployment
from .services import FollowupError, InvalidInput, StaleEdit


class DeploymentSerializer(StrictModelSerializer):
    country_name = serializers.CharField(source="country.name", read_only=True)
    requested_by = serializers.PrimaryKeyRelatedField(queryset=Action.objects.all(), required=False, allow_null=True)
    lock_version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)

    class Meta:
        model = Deployment
        fields = ["id", "country", "country_name", "kind", "entity", "starts_on", "ends_on", "arrived_on",
                  "requested_by", "notes", "lock_version"]
        read_only_fields = ["id", "country_name"]

    def validate(self, attrs):
        starts, ends = attrs.get("starts_on", getattr(self.instance, "starts_on", None)), attrs.get(
            "ends_on", getattr(self.instance, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError({"ends_on": capacity.ENDS_BEFORE_START})
        if self.instance is not None and "lock_version" not in attrs:
            raise serializers.ValidationError({"lock_version": _("Give the lock_version you read.")})
        return attrs


class DeploymentViewSet(ScopedMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Deployed prevention capacity in the countries the user reads; EOSG keeps the register."""

    queryset = Deployment.objects.select_related("country", "entity")
    scope = staticmethod(deployments_visible_to)
    serializer_class = DeploymentSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _save(self, deployment: Deployment, data: dict) -> Deployment:
        for name, value in data.items():
            if name != "lock_version":
                setattr(deployment, name, value)
        with service_refusals(stale=StaleEdit, invalid=InvalidInput, refusal=FollowupError):
            return capacity.deployment_save(deployment=deployment, actor=self.request.user,
                                            lock_version=data.get("lock_version"))

    @extend_schema(parameters=[LOCATION], summary="Add a deployment to the register (EOSG)")
    def create(self, request, *args, **kwargs):
        require(can_keep_capacity(request.user))
        body = DeploymentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        deployment = self._save(Deployment(), body.validated_data)
        return created(DeploymentSerializer(deployment).data,
                       reverse("deployment-detail", args=[deployment.pk], request=request))

    @extend_schema(summary="Change a deployment, its arrival included (EOSG); give the lock_version you read")
    def partial_update(self, request, *args, **kwargs):
        deployment = self.get_object()
        require(can_keep_capacity(request.user))
        body = DeploymentSerializer(deployment, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        return Response(DeploymentSerializer(self._save(deployment, body.validated_data)).data)


class BoardRowSerializer(StrictSerializer):
    iso3 = serializers.CharField(source="country.iso3")
    name = serializers.CharField(source="country.name")
    tier = serializers.ChoiceField(source="country.last_tier", choices=Tier.choices, allow_null=True)
    score = serializers.IntegerField(source="country.last_score", allow_null=True)
    change = serializers.IntegerField(source="country.score_change", allow_null=True)
    priority = serializers.IntegerField(help_text="0 high and rising with no capacity, 1 high with none, 2 high with "
                                                  "capacity ending soon, 3 high with capacity, 4 lower with capacity, 5 the rest")
    present = DeploymentSerializer(many=True)
    coming = DeploymentSerializer(many=True)
    ending_soon = serializers.BooleanField()


class SurgeBoardViewSet(viewsets.ViewSet):
    """The surge board: the countries the user reads, most in need of capacity first. Kept until the data changes
    (hruf.figures_cache), as the dashboard's figures are: one answer of every country's rows, read again and again."""

    @extend_schema(responses=BoardRowSerializer(many=True), summary="Countries by risk against deployed capacity")
    def list(self, request):
        require(can_read_any_country(request.user))
        parts = (figures_audience(request.user), translation.get_language(), timezone.get_current_timezone_name(),
                 timezone.localdate())
        return Response(kept("surge-board-api", parts, lambda: self._rows(request.user)))

    @staticmethod
    def _rows(user) -> list:
        return BoardRowSerializer(capacity.surge_board(user, timezone.localdate()), many=True).data


def register(router):
    router.register("deployments", DeploymentViewSet, basename="deployment")
    router.register("surge-board", SurgeBoardViewSet, basename="surge-board")
