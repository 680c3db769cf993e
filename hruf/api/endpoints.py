"""Endpoints of the core: regions, the signed-in person's notifications and API token."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hruf.api.pagination import keyset
from hruf.models import ApiToken, Notification, Region
from hruf.notifications import notification_mark_read
from hruf.permissions import notifications_visible_to

from .serializers import StrictModelSerializer, StrictSerializer, validated
from .tokens import api_token_create, api_token_revoke
from .viewsets import ScopedReadOnlyViewSet

# --- regions ------------------------------------------------------


class RegionSerializer(StrictModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


@extend_schema_view(list=extend_schema(summary="Regions"), retrieve=extend_schema(summary="One region"))
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions are reference data: every signed-in person may read them."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,40}"


# --- notifications -------------------------------------------------------------


class NotificationSerializer(StrictModelSerializer):
    # Stored as a code with parameters; rendered in the language of the request.
    subject = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "link", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_unread(self, obj) -> bool:
        return obj.read_at is None


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", help_text="Only unread (true) or read (false).")

    class Meta:
        model = Notification
        fields = ["unread"]


class MarkedSerializer(StrictSerializer):
    marked = serializers.IntegerField(help_text="How many notifications were marked read.")


@extend_schema_view(
    list=extend_schema(summary="Your notifications, newest first"),
    retrieve=extend_schema(summary="One of your notifications"),
)
class NotificationViewSet(ScopedReadOnlyViewSet):
    """Your own inbox: the same notifications as the in-app inbox."""

    scope = staticmethod(notifications_visible_to)
    queryset = Notification.objects.all()
    pagination_class = keyset("-created_at", "-id")
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    @extend_schema(request=None, responses=NotificationSerializer, summary="Mark one notification read")
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notification_mark_read(actor=request.user, notification_id=notification.pk)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=MarkedSerializer, summary="Mark all your notifications read")
    @action(detail=False, methods=["post"], url_path="read-all", filterset_class=None, pagination_class=None)
    def read_all(self, request):
        return Response({"marked": notification_mark_read(actor=request.user)})


# --- API tokens ---------------------------------------------------------------


class TokenSerializer(StrictModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["token_key", "name", "created", "expiry", "last_used_at", "last_used_ip", "second_factor"]
        read_only_fields = fields
        extra_kwargs = {"token_key": {"help_text": "The key's first characters: enough to tell tokens apart."}}


class TokenInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100, required=False, default="", allow_blank=True,
                                 help_text="What the token is for (a script, a machine).")


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`. It is shown only now.")

    class Meta(TokenSerializer.Meta):
        fields = ["token", *TokenSerializer.Meta.fields]
        read_only_fields = fields


class TokenRevokeSerializer(StrictSerializer):
    token_key = serializers.CharField(max_length=25, required=False,
                                      help_text="Revoke only this token; without it, all of yours.")


class TokenView(APIView):
    """Your API tokens for scripts. Only a signed-in browser session may make or revoke one, so a leaked
    token cannot renew itself and the sign-in's own safeguards (lock-out, and two-factor sign-in where
    required) always stand in front of it. Each expires after API_TOKEN_DAYS days."""

    authentication_classes = [SessionAuthentication]

    @extend_schema(responses=TokenSerializer(many=True), summary="Your API tokens (never their keys)")
    def get(self, request):
        return Response(TokenSerializer(ApiToken.objects.filter(user=request.user), many=True).data)

    @extend_schema(request=TokenInputSerializer, responses={201: NewTokenSerializer}, summary="Make a new API token")
    def post(self, request):
        data = validated(TokenInputSerializer, request)
        token, key = api_token_create(actor=request.user, name=data["name"], second_factor=request.user.is_verified(),
                                      request=request)
        token.token = key
        return Response(NewTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TokenRevokeSerializer, responses={204: OpenApiResponse(description="Revoked.")},
                   summary="Revoke one of your API tokens, or all of them")
    def delete(self, request):
        data = validated(TokenRevokeSerializer, request)
        api_token_revoke(actor=request.user, token_key=data.get("token_key"), request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router):
    router.register("regions", RegionViewSet, basename="region")
    router.register("notifications", NotificationViewSet, basename="notification")
