"""REST endpoints of reviews (registered under /api/v1/ by hruf/api_urls.py): RQR and SAG meetings,
their agenda items and each item's record.

Reads are scoped by hruf.permissions; every write is a reviews.services call, whose refusals come
back in the API's one error format: a stale `lock_version`, or something already done (a review
the region already has, a case already taken, an alert already flagged), as 409 (nothing was
saved), any other refusal as 400.

The steps of the pages have routes here too, under the same rules: opening an RQR or a SAG
meeting (POST meetings/), the SAG taking a case (POST meetings/{id}/sag-cases/) and flagging an
alert for the SAG (POST alerts/{id}/flag-for-sag/, routed by hruf/api_urls.py since scans may
not import reviews).
"""


import django_filters
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from hruf.api.errors import LOCK_MAX
from hruf.api.errors import service_refusals as api_service_refusals
from hruf.api.pagination import keyset
from hruf.api.schema import LOCATION, ErrorSerializer
from hruf.api.serializers import ObjectsField, StrictModelSerializer, StrictSerializer, validated
from hruf.api.viewsets import ScopedReadOnlyViewSet, created
from hruf.ids import MAX_ID
from hruf.models import Country, Entity, Region, Role, User
from hruf.permissions import (
    agenda_items_of_meetings_visible_to,
    agenda_items_visible_to,
    alerts_visible_to,
    can_confirm_enhanced_reporting,
    can_create_rqr_meeting,
    can_create_sag_meeting,
    can_edit_meeting,
    can_flag_for_sag,
    can_read_whole_meeting,
    countries_visible_to,
    get_visible_or_404,
    meetings_visible_to,
    regions_chaired_by,
    require,
)
from scans.models import Alert
from scans.models.scans import TEXT_LIMIT
from scans.periods import Period
from scans.scoring import Tier

from . import services
from .models import DECLINE_REASON_MAX, AgendaItem, Decision, Meeting, without_records
from .reasons import render_reasons

STALE = OpenApiResponse(ErrorSerializer, description="Someone changed it since your `lock_version`: nothing was saved.")
ALREADY = OpenApiResponse(ErrorSerializer, description="It already exists or was already done: nothing was saved.")


class ReasonsField(serializers.ListField):
    """Proposal reasons, stored as codes, shown as sentences in the reader's language."""

    child = serializers.CharField()

    def to_representation(self, data):
        return render_reasons(data)


def service_refusals():
    return api_service_refusals(
        stale=(services.StaleEdit, services.AlreadyDone), invalid=services.RecordIncomplete, refusal=services.ReviewError
    )


# --- serializers (shapes only: what a request may carry, what an answer shows) ------------


class MeetingSerializer(StrictModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True)
    # Declared by hand: DRF drops allow_null/allow_blank from read-only model fields, and the
    # schema must admit the values these really take (no chair yet, no tier yet).
    chair_name = serializers.CharField(source="chair", read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "kind", "region", "region_name", "quarter", "date", "chair", "chair_name", "state",
            "published_at", "lock_version",
        ]
        read_only_fields = fields


class RankedRowSerializer(serializers.Serializer):
    """A row of the region's ranked table as frozen at publication (reviews.ranking as_row)."""

    rank = serializers.IntegerField()
    country_id = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    tier = serializers.CharField(allow_null=True)
    change = serializers.IntegerField(allow_null=True)
    worsening = serializers.IntegerField(allow_null=True)
    alerts = serializers.IntegerField()
    missing = serializers.BooleanField()
    enhanced = serializers.BooleanField()
    period = serializers.CharField(allow_null=True)
    revision_id = serializers.IntegerField(allow_null=True)
    open_actions = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    reasons = ReasonsField()


class DriverSerializer(serializers.Serializer):
    label = serializers.CharField()
    rating = serializers.IntegerField()
    worsening = serializers.BooleanField()


class AgendaItemSerializer(StrictModelSerializer):
    country_name = serializers.CharField(source="country.name", read_only=True)
    country_iso3 = serializers.CharField(source="country.iso3", read_only=True)
    proposal_reasons = ReasonsField(read_only=True)
    snap_drivers = DriverSerializer(many=True, read_only=True)
    snap_tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, read_only=True)
    agreed_tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, read_only=True)
    decision = serializers.ChoiceField(choices=Decision.choices, allow_blank=True, read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by", read_only=True, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id", "meeting", "country", "country_name", "country_iso3", "position", "included",
            "proposal_reasons", "chair_reason", "source_item", "source_alert",
            "snap_score", "snap_tier", "snap_change", "snap_worsening", "snap_alerts", "snap_missing", "snap_drivers",
            "summary", "agreed_tier", "agreed_tier_reason", "decision", "decision_reason", "dissent",
            "recorded_by", "recorded_by_name", "recorded_at", "enhanced_confirmed_by", "enhanced_confirmed_at",
            "enhanced_declined_by", "enhanced_declined_at", "enhanced_decline_reason", "lock_version",
        ]
        read_only_fields = fields


class RecordSerializer(StrictModelSerializer):
    """An item's record. Writing it replaces it whole: a text left out is saved empty, as the form does."""

    lock_version = serializers.IntegerField(min_value=0, max_value=LOCK_MAX)
    recorded_by_name = serializers.CharField(source="recorded_by", read_only=True, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = [
            "lock_version", "summary", "agreed_tier", "agreed_tier_reason", "decision", "decision_reason", "dissent",
            "recorded_by", "recorded_by_name", "recorded_at",
        ]
        read_only_fields = ["recorded_by", "recorded_at"]


class LockSerializer(StrictSerializer):
    lock_version = serializers.IntegerField(min_value=0, max_value=LOCK_MAX, help_text=_("The meeting's lock_version as you read it."))


class AgendaAddSerializer(LockSerializer):
    # The view narrows this to the countries the user reads: an unreadable one is "does not exist".
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.none())
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")


class AgendaRemoveSerializer(LockSerializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")


class AgendaMoveSerializer(LockSerializer):
    direction = serializers.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class MeetingKindSerializer(serializers.Serializer):
    # Not strict: only reads which kind of meeting a request opens, to check who may open it.
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)


class RqrCreateSerializer(StrictSerializer):
    """A regional review, chaired by whoever opens it (as on the page)."""

    kind = serializers.ChoiceField(choices=[(Meeting.Kind.RQR.value, Meeting.Kind.RQR.label)])
    # The view narrows this to the regions the user chairs: another reads as "does not exist".
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none())
    quarter = serializers.CharField(max_length=7, help_text=_("The quarter reviewed, such as 2026-Q4."))
    date = serializers.DateField(help_text=_("Meeting date"))
    entities = ObjectsField(queryset=Entity.objects.all(), required=False, max_length=100,
                            help_text=_("Participating entities"))

    def validate_quarter(self, value: str) -> Period:
        try:
            period = Period.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        if period.kind != "quarterly":
            raise serializers.ValidationError(_("Give a quarter, such as 2026-Q4."))
        return period


class SagCreateSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=[(Meeting.Kind.SAG.value, Meeting.Kind.SAG.label)])
    date = serializers.DateField(help_text=_("Meeting date"))
    members = ObjectsField(queryset=User.objects.filter(roles__role=Role.SAG).distinct(), required=False, max_length=100,
                           help_text=_("Ids of SAG members who take part."))


MEETING_CREATE = PolymorphicProxySerializer(
    component_name="MeetingCreate", resource_type_field_name="kind",
    serializers={Meeting.Kind.RQR.value: RqrCreateSerializer, Meeting.Kind.SAG.value: SagCreateSerializer},
)


class SagCaseSerializer(LockSerializer):
    source_item = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                           help_text=_("An agenda item whose RQR decision escalated it to the SAG."))
    source_alert = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                            help_text=_("An urgent alert flagged for the SAG."))

    def validate(self, data):
        if ("source_item" in data) == ("source_alert" in data):
            raise serializers.ValidationError(_("Give either source_item or source_alert."))
        return data


class EnhancedConfirmSerializer(StrictSerializer):
    """Nothing to send: the answer is the request itself."""


class EnhancedDeclineSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=DECLINE_REASON_MAX, help_text=_("Why EOSG declines enhanced reporting."))


# --- meetings ------------------------------------------------------------------------


def _quarter_code(value: str) -> None:
    try:
        Period.parse(value)
    except ValueError as exc:
        # django-filter formats each message with its params, and this one repeats what was typed:
        # as a param, a "%" in it stays text (as the message itself, it was a 500).
        raise ValidationError("%(reason)s", params={"reason": str(exc)}) from None


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices)
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all())
    quarter = django_filters.CharFilter(validators=[_quarter_code])
    state = django_filters.ChoiceFilter(choices=Meeting.State.choices)

    class Meta:
        model = Meeting
        fields = ["kind", "region", "quarter", "state"]


class MeetingViewSet(ScopedReadOnlyViewSet):
    """RQR and SAG meetings the user may read; the chair (of a SAG meeting: SAG members and EOSG)
    opens the meeting, publishes the agenda and moves the meeting on."""

    queryset = Meeting.objects.select_related("region", "chair")
    scope = staticmethod(meetings_visible_to)
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    pagination_class = keyset("-date", "-id")  # the latest first

    def get_queryset(self):
        queryset = super().get_queryset()
        # A recorded meeting's frozen agenda is large and no list shows it: decoding fifty of them set off the
        # garbage collector's full passes every few requests (p95 3x the median).
        return queryset.defer(*without_records(meeting="")) if self.action == "list" else queryset

    def _to_edit(self) -> Meeting:
        meeting = self.get_object()
        require(can_edit_meeting(self.request.user, meeting))
        return meeting

    def _lock(self) -> int:
        body = LockSerializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data["lock_version"]

    @extend_schema(
        request=MEETING_CREATE, responses={201: MeetingSerializer, 409: ALREADY}, parameters=[LOCATION],
        summary="Open an RQR (a region's chair) or a SAG meeting (SAG members and EOSG)",
        description="An RQR is chaired by whoever opens it and starts with the countries the app proposes "
        "on its agenda; a region has one review per quarter (409 for a second).",
    )
    def create(self, request):
        user = request.user
        require(can_create_rqr_meeting(user) or can_create_sag_meeting(user))
        if validated(MeetingKindSerializer, request)["kind"] == Meeting.Kind.SAG:
            require(can_create_sag_meeting(user))
            d = validated(SagCreateSerializer, request)
            meeting = services.sag_create(actor=user, date=d["date"], members=d.get("members", []))
        else:
            require(can_create_rqr_meeting(user))
            body = RqrCreateSerializer(data=request.data)
            body.fields["region"].queryset = regions_chaired_by(user)
            body.is_valid(raise_exception=True)
            d = body.validated_data
            with service_refusals():
                meeting = services.rqr_create(
                    actor=user, region=d["region"], quarter=d["quarter"], date=d["date"], chair=user,
                    entities=d.get("entities", []),
                )
        return created(MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data,
                       reverse("meeting-detail", args=[meeting.pk], request=request))

    @extend_schema(
        request=SagCaseSerializer,
        responses={201: AgendaItemSerializer, 200: AgendaItemSerializer, 409: ALREADY},
        parameters=[LOCATION],
        summary="Take an escalated case or a flagged alert onto a SAG agenda in preparation",
        description="201 with the new agenda item: each case is an item of its own, so two cases of one country "
        "are two items, each decided on its own. A source that is not an escalated case or a flagged alert you may "
        "see answers 404, as on the page; one already on a SAG agenda answers 409.",
    )
    @action(detail=True, methods=["post"], url_path="sag-cases", filterset_class=None, pagination_class=None)
    def sag_cases(self, request, pk=None):
        meeting = self._to_edit()
        d = validated(SagCaseSerializer, request)
        user, source_item, source_alert = request.user, None, None
        if "source_item" in d:
            escalated = AgendaItem.objects.for_sag().select_related("meeting")
            source_item = get_visible_or_404(agenda_items_of_meetings_visible_to(user, Meeting.objects.all(), escalated),
                                             pk=d["source_item"])
        else:
            source_alert = get_visible_or_404(alerts_visible_to(user, Alert.objects.flagged_for_sag()), pk=d["source_alert"])
        with service_refusals():
            item = services.sag_take(actor=user, meeting=meeting, lock_version=d["lock_version"],
                                     source_item=source_item, source_alert=source_alert)
        data = AgendaItemSerializer(AgendaItem.objects.select_related("country", "recorded_by").get(pk=item.pk)).data
        return created(data, reverse("agenda-item-detail", kwargs={"meeting_pk": meeting.pk, "pk": item.pk}, request=request))

    @extend_schema(request=LockSerializer, responses={200: MeetingSerializer, 409: STALE},
                   summary="Publish the agenda: freezes it and every score it shows")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        meeting = self._to_edit()
        lock_version = self._lock()
        with service_refusals():
            services.agenda_publish(meeting=meeting, actor=request.user, lock_version=lock_version)
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(request=LockSerializer, responses={200: MeetingSerializer, 409: STALE},
                   summary="Published -> held -> record closed (closing needs a decision on every item)")
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        meeting = self._to_edit()
        lock_version = self._lock()
        with service_refusals():
            services.meeting_advance(actor=request.user, meeting=meeting, lock_version=lock_version)
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(responses=RankedRowSerializer(many=True),
                   summary="Every country of the region as ranked when the agenda was published")
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def snapshot(self, request, pk=None):
        meeting = self.get_object()
        require(can_read_whole_meeting(request.user, meeting))
        return Response(RankedRowSerializer(meeting.snapshot, many=True).data)


# --- agenda items and records ---------------------------------------------------------

MEETING_PK = OpenApiParameter("meeting_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(parameters=[MEETING_PK]),
    retrieve=extend_schema(parameters=[MEETING_PK]),
    create=extend_schema(parameters=[MEETING_PK], request=AgendaAddSerializer, responses={201: AgendaItemSerializer, 409: STALE},
                         summary="Add a country to an agenda in preparation"),
    remove=extend_schema(parameters=[MEETING_PK], request=AgendaRemoveSerializer, responses={200: AgendaItemSerializer, 409: STALE},
                         summary="Take a country off an agenda in preparation"),
    move=extend_schema(parameters=[MEETING_PK], request=AgendaMoveSerializer, responses={200: AgendaItemSerializer, 409: STALE},
                       summary="Move an item up or down an agenda in preparation"),
    record=extend_schema(parameters=[MEETING_PK], methods=["GET"], responses=RecordSerializer, summary="The item's record"),
    enhanced_reporting_confirm=extend_schema(
        parameters=[MEETING_PK], request=EnhancedConfirmSerializer, responses={200: AgendaItemSerializer},
        summary="EOSG confirms a recommendation of enhanced reporting (monthly scans from the next month)",
    ),
    enhanced_reporting_decline=extend_schema(
        parameters=[MEETING_PK], request=EnhancedDeclineSerializer, responses={200: AgendaItemSerializer},
        summary="EOSG declines a recommendation of enhanced reporting, saying why",
    ),
)
class AgendaItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A meeting's agenda as the user may read it (officers: only their own countries' items).
    The meeting's editors change the agenda while it is in preparation, then record each item."""

    serializer_class = AgendaItemSerializer

    @cached_property
    def meeting(self) -> Meeting:
        meetings = meetings_visible_to(self.request.user, Meeting.objects.select_related("region", "chair"))
        return get_visible_or_404(meetings, pk=self.kwargs["meeting_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no meeting
            return AgendaItem.objects.none()
        items = self.meeting.items.select_related("country", "recorded_by")
        return agenda_items_visible_to(self.request.user, self.meeting, items).order_by("-included", "position", "id")

    def get_object(self) -> AgendaItem:
        item = super().get_object()
        item.meeting = self.meeting  # the services read the meeting's state and kind from it
        return item

    def _meeting_to_edit(self) -> Meeting:
        require(can_edit_meeting(self.request.user, self.meeting))
        return self.meeting

    def _item_to_edit(self) -> AgendaItem:
        item = self.get_object()
        self._meeting_to_edit()
        return item

    def _body(self, serializer_class, **kwargs):
        body = serializer_class(data=self.request.data, **kwargs)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def create(self, request, meeting_pk=None):
        meeting = self._meeting_to_edit()
        body = AgendaAddSerializer(data=request.data)
        body.fields["country"].queryset = countries_visible_to(request.user, Country.objects.all())
        body.is_valid(raise_exception=True)
        d = body.validated_data
        with service_refusals():
            item = services.agenda_add(actor=request.user, meeting=meeting, country=d["country"], reason=d["reason"], lock_version=d["lock_version"])
        return Response(AgendaItemSerializer(self._reread(item)).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def remove(self, request, meeting_pk=None, pk=None):
        item = self._item_to_edit()
        d = self._body(AgendaRemoveSerializer)
        with service_refusals():
            services.agenda_remove(actor=request.user, item=item, reason=d["reason"], lock_version=d["lock_version"])
        return Response(AgendaItemSerializer(self._reread(item)).data)

    @action(detail=True, methods=["post"])
    def move(self, request, meeting_pk=None, pk=None):
        item = self._item_to_edit()
        d = self._body(AgendaMoveSerializer)
        with service_refusals():
            services.agenda_move(actor=request.user, item=item, up=d["direction"] == "up", lock_version=d["lock_version"])
        return Response(AgendaItemSerializer(self._reread(item)).data)

    @extend_schema(methods=["PUT"], parameters=[MEETING_PK], request=RecordSerializer,
                   responses={200: RecordSerializer, 409: STALE},
                   summary="Record the outcome (the meeting's editors, once the agenda is published)")
    @action(detail=True, methods=["get", "put"])
    def record(self, request, meeting_pk=None, pk=None):
        if request.method == "GET":
            return Response(RecordSerializer(self.get_object()).data)
        item = self._item_to_edit()
        d = self._body(RecordSerializer)
        with service_refusals():
            services.item_record(
                item=item, actor=request.user, lock_version=d["lock_version"], summary=d.get("summary", ""),
                agreed_tier=d.get("agreed_tier", ""), agreed_tier_reason=d.get("agreed_tier_reason", ""),
                decision=d.get("decision", ""), decision_reason=d.get("decision_reason", ""), dissent=d.get("dissent", ""),
            )
        return Response(RecordSerializer(item).data)

    def _recommendation(self) -> AgendaItem:
        """The item EOSG answers: 404 outside the user's scope, 403 for who may read but not answer."""
        item = self.get_object()
        require(can_confirm_enhanced_reporting(self.request.user))
        return item

    @action(detail=True, methods=["post"], url_path="enhanced-reporting/confirm")
    def enhanced_reporting_confirm(self, request, meeting_pk=None, pk=None):
        item = self._recommendation()
        self._body(EnhancedConfirmSerializer)
        with service_refusals():
            services.enhanced_reporting_confirm(item=item, actor=request.user)
        return Response(AgendaItemSerializer(self._reread(item)).data)

    @action(detail=True, methods=["post"], url_path="enhanced-reporting/decline")
    def enhanced_reporting_decline(self, request, meeting_pk=None, pk=None):
        item = self._recommendation()
        d = self._body(EnhancedDeclineSerializer)
        with service_refusals():
            services.enhanced_reporting_decline(item=item, actor=request.user, reason=d["reason"])
        return Response(AgendaItemSerializer(self._reread(item)).data)

    def _reread(self, item: AgendaItem) -> AgendaItem:
        return self.meeting.items.select_related("country", "recorded_by").get(pk=item.pk)


# --- flagging an alert for the SAG ---------------------------------------------------------


class SagFlagSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=TEXT_LIMIT, help_text=_("Why the SAG should take it"))


class FlaggedAlertSerializer(StrictModelSerializer):
    """The alert's SAG flag (the alert itself, evidence and all, is at alerts/{id}/)."""

    country = serializers.SlugRelatedField(slug_field="iso3", read_only=True)
    sag_flagged_by_name = serializers.CharField(source="sag_flagged_by", read_only=True, allow_null=True)

    class Meta:
        model = Alert
        fields = ["id", "country", "title", "sag_flagged_at", "sag_flagged_by", "sag_flagged_by_name", "sag_flag_reason"]
        read_only_fields = fields


class AlertFlagForSagView(APIView):
    """The region's chairs and EOSG put an urgent alert among the SAG's candidate cases."""

    @extend_schema(request=SagFlagSerializer, responses={200: FlaggedAlertSerializer, 409: ALREADY},
                   summary="Flag an urgent alert for the SAG (its members are notified)")
    def post(self, request, pk: int):
        alerts = alerts_visible_to(request.user, Alert.objects.select_related("country"))
        alert = get_visible_or_404(alerts, pk=pk)
        require(can_flag_for_sag(request.user, alert.country))
        reason = validated(SagFlagSerializer, request)["reason"]
        with service_refusals():
            services.alert_flag_for_sag(alert=alert, actor=request.user, reason=reason)
        return Response(FlaggedAlertSerializer(alerts.select_related("sag_flagged_by").get(pk=pk)).data)


def register(router):
    from .commitment_api import CommitmentViewSet

    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("commitments", CommitmentViewSet, basename="commitment")
    router.register(r"meetings/(?P<meeting_pk>[0-9]+)/items", AgendaItemViewSet, basename="agenda-item")
