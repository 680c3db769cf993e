"""Endpoints of the core: regions, the signed-in person's notifications and API token."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hruf.models import Notification, Region
from hruf.notifications import notification_mark_read
from hruf.permissions import notifications_visible_to

from .serializers import StrictModelSerializer, StrictSerializer
from .tokens import api_token_revoke, api_token_rotate
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


# --- the API token ---------------------------------------------------------------


class TokenStateSerializer(StrictSerializer):
    exists = serializers.BooleanField()
    created = serializers.DateTimeField(allow_null=True)


class NewTokenSerializer(StrictSerializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`. It is shown only now.")
    created = serializers.DateTimeField()


class TokenView(APIView):
    """Your API token for scripts. Only a signed-in browser session may make or revoke one, so a
    leaked token cannot renew itself and the sign-in's own safeguards (lock-out, and two-factor
    sign-in where required) always stand in front of it."""

    authentication_classes = [SessionAuthentication]

    @extend_schema(responses=TokenStateSerializer, summary="Whether you have an API token")
    def get(self, request):
        token = Token.objects.filter(user=request.user).first()
        return Response({"exists": token is not None, "created": token.created if token else None})

    @extend_schema(request=None, responses={201: NewTokenSerializer}, summary="Make a new API token (the old one stops working)")
    def post(self, request):
        token = api_token_rotate(actor=request.user)
        return Response({"token": token.key, "created": token.created}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: OpenApiResponse(description="Revoked.")}, summary="Revoke your API token")
    def delete(self, request):
        api_token_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router):
    router.register("regions", RegionViewSet, basename="region")
    router.register("notifications", NotificationViewSet, basename="notification")
