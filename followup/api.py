"""REST endpoints of follow-up (registered under /api/v1/ by hruf/api_urls.py): plans, actions,
benchmarks, and the EOSG dashboard's figures.

Reads are scoped by hruf.permissions (a restricted action is listed only to those who may see it);
every write is a followup.services call. A stale `lock_version` answers 409 with nothing saved;
the service's other refusals (closing an action whose required benchmarks lack evidence, ...) 400.
A plan is drafted as on the page (POST plans/): for a decision or an alert, from the template
library's actions, by EOSG or the chair of the country's region.
"""


import django_filters
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from hruf.api.errors import LOCK_MAX
from hruf.api.errors import service_refusals as api_service_refusals
from hruf.api.pagination import Pagination, keyset
from hruf.api.schema import LOCATION, ErrorSerializer
from hruf.api.serializers import ObjectsField, StrictModelSerializer, StrictSerializer, validated
from hruf.api.viewsets import ScopedReadOnlyViewSet, created
from hruf.figures_cache import kept
from hruf.ids import MAX_ID
from hruf.models import Country, Entity, Region
from hruf.permissions import (
    actions_visible_to,
    benchmarks_visible_to,
    can_create_plan,
    can_edit_plan,
    can_overrule_action,
    can_update_action,
    can_view_dashboard,
    countries_visible_to,
    figures_audience,
    plans_visible_to,
    require,
)
from scans.periods import Period
from scans.scoring import Tier

from . import capacity_api, services
from .action_log import log_line
from .clock import dashboard_clock
from .clock_api import ClockSerializer
from .dashboard import Filters, dashboard_figures
from .forms import owners
from .library import template_deadline
from .models import Action, ActionStatus, ActionTemplate, ActionUpdate, Benchmark, Plan
from .models.plans import TEXT_LIMIT, Helped
from .selectors import plan_source
from .views.clock import MAX_GAP_DAYS

STALE = OpenApiResponse(ErrorSerializer, description="Someone updated the action since your `lock_version`: nothing was saved.")


def service_refusals():
    return api_service_refusals(
        stale=services.StaleEdit, invalid=services.InvalidInput, refusal=services.FollowupError
    )


# --- serializers (shapes only) -----------------------------------------------------------


class PlanSerializer(StrictModelSerializer):
    country_name = serializers.CharField(source="country.name", read_only=True)
    country_iso3 = serializers.CharField(source="country.iso3", read_only=True)
    # Declared by hand: DRF drops allow_blank from read-only model fields, and these are blank until set.
    adoption_tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, read_only=True)
    closing_tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, read_only=True)
    helped = serializers.ChoiceField(choices=Helped.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "title", "country", "country_name", "country_iso3", "source_item", "source_alert", "created_at",
                  "adoption_score", "adoption_tier", "closed_at", "closing_score", "closing_tier", "actions_on_time",
                  "actions_late", "actions_cancelled", "outcome", "helped"]
        read_only_fields = fields


class ActionSerializer(StrictModelSerializer):
    country = serializers.IntegerField(source="plan.country_id", read_only=True)
    country_name = serializers.CharField(source="plan.country.name", read_only=True)
    lead_entity_code = serializers.CharField(source="lead_entity.code", read_only=True)
    owner_name = serializers.StringRelatedField(source="owner", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id", "plan", "country", "country_name", "title", "description", "lead_entity", "lead_entity_code",
            "supporting_entities", "owner", "owner_name", "deadline", "status", "cancel_reason", "restricted",
            "created_at", "completed_at", "overdue_step", "lock_version",
        ]
        read_only_fields = fields


class ActionProgressSerializer(StrictSerializer):
    lock_version = serializers.IntegerField(min_value=0, max_value=LOCK_MAX, help_text=_("The action's lock_version as you read it."))
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    text = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, default="")
    evidence = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, default="")
    cancel_reason = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, default="")


class ActionExtendSerializer(StrictSerializer):
    lock_version = serializers.IntegerField(min_value=0, max_value=LOCK_MAX, help_text=_("The action's lock_version as you read it."))
    new_deadline = serializers.DateField(help_text=_("After today and after the current deadline."))
    reason = serializers.CharField(max_length=TEXT_LIMIT)


class ActionReopenSerializer(StrictSerializer):
    lock_version = serializers.IntegerField(min_value=0, max_value=LOCK_MAX, help_text=_("The action's lock_version as you read it."))
    reason = serializers.CharField(max_length=TEXT_LIMIT)


class ActionUpdateSerializer(StrictModelSerializer):
    author_name = serializers.StringRelatedField(source="author", read_only=True)
    text = serializers.SerializerMethodField(help_text="The entry: the app's words in the reader's language, or what "
                                                       "a person wrote, as written.")

    class Meta:
        model = ActionUpdate
        fields = ["id", "created_at", "author", "author_name", "status", "code", "text", "evidence"]
        read_only_fields = fields

    def get_text(self, update: ActionUpdate) -> str:
        return log_line(update) or update.text


class BenchmarkSerializer(StrictModelSerializer):
    class Meta:
        model = Benchmark
        fields = ["id", "action", "description", "due_date", "evidence_required", "met_at", "evidence"]
        read_only_fields = ["id", "action", "met_at", "evidence"]


class BenchmarkMetSerializer(StrictSerializer):
    evidence = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, default="")


class ActionDraftSerializer(StrictSerializer):
    """One action of a new plan: a template of the library fills in the title, description and lead
    entity left out (as the page's ticked rows start from the template), or they are all given."""

    template = serializers.PrimaryKeyRelatedField(
        queryset=ActionTemplate.objects.filter(active=True).select_related("default_lead"), required=False,
        allow_null=True, help_text=_("A preventive action of the template library."),
    )
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, required=False)
    lead_entity = serializers.PrimaryKeyRelatedField(queryset=Entity.objects.all(), required=False)
    supporting = ObjectsField(queryset=Entity.objects.all(), required=False, max_length=50,
                              help_text=_("Supporting entities"))
    # A focal point of the lead entity (the service says so otherwise).
    owner = serializers.PrimaryKeyRelatedField(queryset=owners())
    deadline = serializers.DateField(
        required=False, help_text=_("Required unless the template has a default duration (then adoption day + it)."),
    )
    restricted = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        template = data.get("template")
        if template is not None:
            data.setdefault("title", template.title)
            data.setdefault("description", template.description)
            if template.default_lead is not None:
                data.setdefault("lead_entity", template.default_lead)
            if template.default_duration_days is not None:
                data.setdefault("deadline", template_deadline(template, timezone.localdate()))
        missing = [name for name in ("title", "lead_entity", "deadline") if name not in data]
        if missing:
            raise ValidationError({name: [self.error_messages["required"]] for name in missing})
        return data

    @staticmethod
    def draft(data: dict) -> services.ActionDraft:
        return services.ActionDraft(
            title=data["title"], description=data.get("description", ""), lead_entity=data["lead_entity"],
            owner=data["owner"], deadline=data["deadline"], template=data.get("template"),
            restricted=data["restricted"], supporting=tuple(data.get("supporting", [])),
        )


class PlanSourceSerializer(serializers.Serializer):
    # Not strict: read first, to find the plan's country and so who may draft it.
    source_item = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False,
        help_text=_("An agenda item whose recorded decision is a follow-up plan or an escalation."),
    )
    source_alert = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text=_("An urgent alert."))

    def validate(self, data):
        if ("source_item" in data) == ("source_alert" in data):
            raise ValidationError(_("Give either source_item or source_alert."))
        return data


class PlanCreateSerializer(StrictSerializer, PlanSourceSerializer):
    title = serializers.CharField(max_length=200)
    actions = ActionDraftSerializer(many=True, allow_empty=False, max_length=50)


def _by_action(errors: dict[str, str]) -> dict:
    """The service's "<index>-<field>" errors laid out as the serializer lays out its own:
    fields.actions.<index>.<field>, for the faulty actions only."""
    by_action: dict[int, dict] = {}
    for key, message in errors.items():
        index, field = key.split("-", 1)
        by_action.setdefault(int(index), {})[field] = [message]
    return {"actions": by_action}


# --- plans, actions, benchmarks ----------------------------------------------------------


class PlanFilter(django_filters.FilterSet):
    # A plain number: an id outside the user's scope filters to nothing, as a nonexistent one does.
    country = django_filters.NumberFilter(min_value=1, max_value=MAX_ID)

    class Meta:
        model = Plan
        fields = ["country"]


class PlanViewSet(ScopedReadOnlyViewSet):
    """Follow-up plans of the countries the user reads, and those an owner works on. EOSG and the
    chair of the country's region draft one for a decision or an alert."""

    queryset = Plan.objects.select_related("country")
    scope = staticmethod(plans_visible_to)
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    pagination_class = keyset("-created_at", "-id")  # the newest first

    @extend_schema(
        request=PlanCreateSerializer, parameters=[LOCATION],
        responses={201: PlanSerializer, 404: OpenApiResponse(ErrorSerializer, description="No such source, or one outside your scope.")},
        summary="Draft a plan for a decision or an alert, with its first actions (each owner is notified)",
        description="A source you may not see, or a decision that calls for no plan, answers 404 as the page does. "
        "An action's owner must be a focal point of its lead entity and its deadline not past: otherwise 400 with "
        "the problems under fields.actions.<index>, and nothing is written.",
    )
    def create(self, request):
        source = validated(PlanSourceSerializer, request)
        country, item, alert = plan_source(
            request.user, item_id=source.get("source_item"), alert_id=source.get("source_alert")
        )
        require(can_create_plan(request.user, country))
        d = validated(PlanCreateSerializer, request)
        drafts = [ActionDraftSerializer.draft(a) for a in d["actions"]]
        with service_refusals():
            try:
                plan = services.plan_create(
                    country=country, actor=request.user, title=d["title"], source_item=item, source_alert=alert,
                    actions=drafts,
                )
            except services.InvalidInput as exc:
                raise ValidationError(_by_action(exc.errors)) from None
        return created(PlanSerializer(self.get_queryset().get(pk=plan.pk)).data,
                       reverse("plan-detail", args=[plan.pk], request=request))


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    entity = django_filters.ModelChoiceFilter(field_name="lead_entity", queryset=Entity.objects.all(), label=_("Lead entity"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Open and past its deadline"))
    plan = django_filters.NumberFilter(min_value=1, max_value=MAX_ID)

    class Meta:
        model = Action
        fields = ["status", "entity", "overdue", "plan"]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class ActionViewSet(ScopedReadOnlyViewSet):
    """Actions the user may read; their owner reports progress and meets benchmarks."""

    queryset = Action.objects.select_related("plan__country", "lead_entity", "owner").prefetch_related("supporting_entities")
    scope = staticmethod(actions_visible_to)
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    pagination_class = keyset("deadline", "id")

    def _reread(self, pk: int) -> Action:
        return self.get_queryset().get(pk=pk)

    @extend_schema(request=ActionProgressSerializer, responses={200: ActionSerializer, 409: STALE},
                   summary="The owner reports status and evidence along the life cycle (done needs its evidence; "
                   "cancelled a reason; a closed action is reopened only by the plan's chair or EOSG)")
    @action(detail=True, methods=["post"], url_path="progress")
    def progress(self, request, pk=None):
        item = self.get_object()
        require(can_update_action(request.user, item))
        body = ActionProgressSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_refusals():
            services.action_update(action=item, actor=request.user, **body.validated_data)
        return Response(ActionSerializer(self._reread(item.pk)).data)

    @extend_schema(request=ActionExtendSerializer, responses={200: ActionSerializer, 409: STALE},
                   summary="The plan's region chair or EOSG extend the deadline, with a reason (the ladder restarts)")
    @action(detail=True, methods=["post"], url_path="extend", filterset_class=None)
    def extend(self, request, pk=None):
        item = self.get_object()
        require(can_overrule_action(request.user, item))
        body = validated(ActionExtendSerializer, request)
        with service_refusals():
            services.action_extend(action=item, actor=request.user, **body)
        return Response(ActionSerializer(self._reread(item.pk)).data)

    @extend_schema(request=ActionReopenSerializer, responses={200: ActionSerializer, 409: STALE},
                   summary="The plan's region chair or EOSG reopen a done or cancelled action, with a reason")
    @action(detail=True, methods=["post"], url_path="reopen", filterset_class=None)
    def reopen(self, request, pk=None):
        item = self.get_object()
        require(can_overrule_action(request.user, item))
        body = validated(ActionReopenSerializer, request)
        with service_refusals():
            services.action_reopen(action=item, actor=request.user, **body)
        return Response(ActionSerializer(self._reread(item.pk)).data)

    @extend_schema(request=BenchmarkSerializer, responses={201: BenchmarkSerializer},
                   summary="Add a benchmark (the owner, the plan's chair or EOSG)")
    @action(detail=True, methods=["post"], url_path="benchmarks", filterset_class=None)
    def add_benchmark(self, request, pk=None):
        item = self.get_object()
        require(can_update_action(request.user, item) or can_edit_plan(request.user, item.plan))
        body = BenchmarkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_refusals():
            benchmark = services.benchmark_add(actor=request.user, action=item, **body.validated_data)
        return Response(BenchmarkSerializer(benchmark).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ActionUpdateSerializer(many=True), summary="The action's log, newest first")
    # One action's log stays short: paged by number, not in the actions' keyset order.
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=Pagination)
    def updates(self, request, pk=None):
        log = self.get_object().updates.select_related("author")
        page = self.paginate_queryset(log)
        return self.get_paginated_response(ActionUpdateSerializer(page, many=True).data)


class BenchmarkFilter(django_filters.FilterSet):
    action = django_filters.NumberFilter(min_value=1, max_value=MAX_ID)
    met = django_filters.BooleanFilter(field_name="met_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Benchmark
        fields = ["action", "met"]


class BenchmarkViewSet(ScopedReadOnlyViewSet):
    """Benchmarks of the actions the user may read; the action's owner reports one met."""

    queryset = Benchmark.objects.select_related("action")
    pagination_class = keyset("due_date", "id")
    scope = staticmethod(benchmarks_visible_to)
    serializer_class = BenchmarkSerializer
    filterset_class = BenchmarkFilter

    @extend_schema(request=BenchmarkMetSerializer, responses=BenchmarkSerializer,
                   summary="The owner reports the benchmark met, with its evidence where required")
    @action(detail=True, methods=["post"], filterset_class=None)
    def meet(self, request, pk=None):
        benchmark = self.get_object()
        require(can_update_action(request.user, benchmark.action))
        body = BenchmarkMetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_refusals():
            services.benchmark_meet(benchmark=benchmark, actor=request.user, evidence=body.validated_data["evidence"])
        return Response(BenchmarkSerializer(benchmark).data)


# --- the dashboard -----------------------------------------------------------------------


class DashboardQuerySerializer(StrictSerializer):
    """The page's filters. An unknown or mistyped one is refused: figures must never look filtered when they are not."""

    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False, allow_null=True)
    entity = serializers.PrimaryKeyRelatedField(
        queryset=Entity.objects.all(), required=False, allow_null=True, help_text=_("Lead entity")
    )
    period = serializers.CharField(required=False, allow_blank=True, help_text=_("Deadline in period: 2026-Q3 or 2026-07"))
    clock_period = serializers.CharField(
        required=False, allow_blank=True, help_text=_("The clock's warnings raised in period: 2026-Q3 or 2026-07")
    )
    gap_days = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_GAP_DAYS, help_text=_("The warning-response gap: older than this many days")
    )

    def validate_period(self, value: str) -> Period | None:
        if not value.strip():
            return None
        try:
            return Period.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate_clock_period(self, value: str) -> Period | None:
        return self.validate_period(value)


class TallySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ActionFiguresSerializer(serializers.Serializer):
    by_status = TallySerializer(many=True)
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    overdue = serializers.IntegerField()
    by_step = TallySerializer(many=True)
    completion_percent = serializers.FloatField(allow_null=True)
    median_days = serializers.FloatField(allow_null=True)
    timed = serializers.IntegerField(help_text="The actions the median is taken over.")
    median_recent = serializers.BooleanField(
        help_text="True: the median is over the actions completed in the last 365 days; false (a period chosen): "
                  "over the period's completed actions.")


class GroupRowSerializer(serializers.Serializer):
    key = serializers.IntegerField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class OverdueRowSerializer(serializers.Serializer):
    action = serializers.IntegerField(source="action.pk")
    title = serializers.CharField(source="action.title")
    country = serializers.CharField(source="action.plan.country.name")
    lead_entity = serializers.CharField(source="action.lead_entity.code")
    owner = serializers.CharField(source="action.owner")
    deadline = serializers.DateField(source="action.deadline")
    days = serializers.IntegerField()
    step = serializers.IntegerField()
    step_label = serializers.CharField()


class BenchmarkFiguresSerializer(serializers.Serializer):
    rows = TallySerializer(many=True)
    total = serializers.IntegerField()
    on_time_percent = serializers.FloatField(allow_null=True)


class WarningSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    iso3 = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField(source="region.name")
    last_score = serializers.IntegerField()
    last_tier = serializers.CharField()
    last_period = serializers.CharField()


class CoverageRowSerializer(serializers.Serializer):
    region = serializers.CharField()
    countries = serializers.IntegerField()
    submitted = serializers.IntegerField()
    draft = serializers.IntegerField()
    not_started = serializers.IntegerField()
    overdue = serializers.IntegerField()
    not_due = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)


class CountryGapSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    iso3 = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField(source="region.name")
    notices_to = serializers.SerializerMethodField(help_text=_("Who hears about it instead of an officer."))

    @extend_schema_field(serializers.ChoiceField(choices=["chairs", "eosg"]))
    def get_notices_to(self, country) -> str:
        return "chairs" if country.region_has_chair else "eosg"


class CountryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    iso3 = serializers.CharField()
    name = serializers.CharField()


class RegionGapSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="region.pk")
    code = serializers.CharField(source="region.code")
    name = serializers.CharField(source="region.name")
    countries = CountryRefSerializer(many=True)


class CoverageGapsSerializer(serializers.Serializer):
    countries_without_officer = CountryGapSerializer(many=True)
    regions_without_chair = RegionGapSerializer(
        many=True, help_text=_("Regions without an active chair: their notices go to EOSG.")
    )


class FiltersSerializer(serializers.Serializer):
    region = serializers.IntegerField(source="region.pk", allow_null=True)
    entity = serializers.IntegerField(source="entity.pk", allow_null=True)
    period = serializers.CharField(source="period.code", allow_null=True)


class OpenWarningSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The warning (/api/v1/warnings/{id}/)."))
    country = serializers.CharField(source="country.iso3")
    kind = serializers.CharField()
    severity = serializers.CharField()
    state = serializers.CharField()
    raised_at = serializers.DateTimeField()
    act_by = serializers.DateTimeField()


@extend_schema_serializer(many=False)  # one set of figures, though served on the list route
class DashboardSerializer(serializers.Serializer):
    today = serializers.DateField()
    filters = FiltersSerializer()
    actions = ActionFiguresSerializer()
    by_entity = GroupRowSerializer(many=True)
    by_region = GroupRowSerializer(many=True)
    overdue = OverdueRowSerializer(many=True, help_text=_("The oldest overdue actions, at most overdue_limit of them."))
    overdue_limit = serializers.IntegerField()
    benchmarks = BenchmarkFiguresSerializer()
    warnings = WarningSerializer(many=True, help_text=_("High-risk countries without an open plan."))
    coverage = CoverageRowSerializer(many=True)
    coverage_total = CoverageRowSerializer()
    coverage_gaps = CoverageGapsSerializer(
        help_text=_("Countries without an active officer and regions without an active chair.")
    )
    open_warnings = OpenWarningSerializer(
        many=True, help_text=_("Open warnings, past their deadline and oldest first, at most overdue_limit of them.")
    )
    clock = ClockSerializer(help_text=_("The warning-to-response clock (scans/clock.py)."))


class DashboardViewSet(viewsets.ViewSet):
    """EOSG's follow-up figures, the same as the dashboard page's, under the same filters."""

    @extend_schema(
        operation_id="dashboard_retrieve", parameters=[DashboardQuerySerializer],
        responses={200: DashboardSerializer, 400: OpenApiResponse(ErrorSerializer, description="A filter that is not valid.")},
        summary="The EOSG dashboard's figures",
    )
    def list(self, request):
        require(can_view_dashboard(request.user))
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        parts = (figures_audience(request.user), sorted(request.query_params.lists()), translation.get_language(),
                 timezone.get_current_timezone_name(), timezone.localdate())
        return Response(kept("dashboard-api", parts, lambda: self._figures(request.user, query.validated_data)))

    @staticmethod
    def _figures(user, chosen: dict) -> dict:
        filters = Filters(**{name: chosen.get(name) for name in ("region", "entity", "period")})
        figures = dashboard_figures(
            actions=actions_visible_to(user, Action.objects.all()),
            benchmarks=Benchmark.objects.all(),
            countries=countries_visible_to(user, Country.objects.all()),
            filters=filters,
            today=timezone.localdate(),
        )
        clock = dashboard_clock(
            user=user, region=filters.region, period=chosen.get("clock_period"), gap_days=chosen.get("gap_days"),
            now=timezone.now(),
        )
        return DashboardSerializer({**vars(figures), "clock": clock}).data


def register(router):
    capacity_api.register(router)
    router.register("plans", PlanViewSet, basename="plan")
    router.register("actions", ActionViewSet, basename="action")
    router.register("benchmarks", BenchmarkViewSet, basename="benchmark")
    router.register("dashboard", DashboardViewSet, basename="dashboard")
