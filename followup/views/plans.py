"""Plans: drafted from a decision or an alert using the template library, then tailored."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hruf.figures_cache import draw_for_reader, kept_for_reader
from hruf.ids import object_id
from hruf.paging import Page
from hruf.permissions import (
    actions_visible_to,
    alerts_visible_to,
    can_create_plan,
    can_edit_plan,
    get_in_scope_or_404,
    get_visible_or_404,
    plans_visible_to,
    require,
)
from hruf.post_only import post_only
from scans.models import Alert
from scans.selectors import alerts_read_by

from .. import services
from ..forms import ActionForm, PlanCloseForm, PlanForm
from ..library import template_deadline
from ..models import ActionTemplate, Plan
from ..selectors import plan_source

PLAN_PAGE = 50  # newest first; older ones a link away (the list grows by the hundred a year)
SHOWN_FIELDS = (
    "title", "created_at", "source_alert_id", "country__name", "country__iso3", "source_alert__title",
    "source_item__meeting__kind", "source_item__meeting__quarter", "source_item__meeting__date",
    "source_item__meeting__region__code", "source_item__meeting__region__name",
)


@login_required
def plan_list(request):
    """Kept for its reader until the data changes (hruf.figures_cache)."""
    body = kept_for_reader(request, "plans", [], partial(_plan_list, request))
    return render(request, "followup/plan_list.html", {"body": body})


def _plan_list(request) -> str:
    page = Page.requested(request, PLAN_PAGE)
    # Scope is decided on ids alone: DISTINCT over the joined rows of every visible plan was the cost.
    visible = plans_visible_to(request.user, Plan.objects.all()).values("pk")
    plans, more = page.fetch(
        Plan.objects.filter(pk__in=visible)
        .select_related("country", "source_item__meeting__region", "source_alert")
        .only(*SHOWN_FIELDS)
        .order_by("-created_at", "-pk")
    )
    return draw_for_reader(request, "followup/_plan_list_body.html", {
        "plans": plans, "page": page.number, "first": page.first, "last": page.last(len(plans)),
        "previous_page": page.previous, "next_page": page.following(more),
        "readable_alerts": _readable_alerts(request.user, plans),
    })


def _readable_alerts(user, plans) -> set[int]:
    """A focal point may see a plan without being allowed to read the alert behind it."""
    ids = [p.source_alert_id for p in plans if p.source_alert_id]
    return set(alerts_visible_to(user, Alert.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def _source(request):
    """The decision or alert the plan answers, fetched through the reader's scope."""
    item_id = object_id(request.GET.get("item") or request.POST.get("item"))
    alert_id = object_id(request.GET.get("alert") or request.POST.get("alert"))
    return plan_source(request.user, item_id=item_id, alert_id=alert_id)


def _template_forms(data=None):
    today = timezone.localdate()
    return [
        ActionForm(data, prefix=f"t{t.pk}", optional=True,
                   initial={"template": t.pk, "title": t.translated("title"), "description": t.translated("description"),
                            "lead_entity": t.default_lead_id,
                            "deadline": template_deadline(t, today)})
        for t in ActionTemplate.objects.filter(active=True).select_related("default_lead")
    ]


@login_required
def plan_create(request):
    country, item, alert = _source(request)
    require(can_create_plan(request.user, country))
    form = PlanForm(request.POST or None, initial={"title": _("Follow-up for %(country)s") % {"country": country}})
    rows = _template_forms(request.POST or None)
    if request.method == "POST" and form.is_valid() and all(r.is_valid() for r in rows):
        chosen = [r for r in rows if r.cleaned_data.get("use")]
        try:
            plan = services.plan_create(
                country=country, actor=request.user, title=form.cleaned_data["title"],
                actions=[r.draft() for r in chosen], source_item=item, source_alert=alert,
            )
        except services.InvalidInput as exc:
            for key, message in exc.errors.items():
                index, field = key.split("-", 1)
                chosen[int(index)].add_error(field if field in chosen[int(index)].fields else None, message)
            messages.error(request, str(exc))
        except (services.FollowupError, services.StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Plan adopted; each owner has been notified."))
            return redirect("followup:plan_detail", pk=plan.pk)
    return render(
        request,
        "followup/plan_form.html",
        {"form": form, "rows": rows, "country": country, "item": item, "alert": alert},
        status=400 if request.method == "POST" else 200,
    )


def _visible_plan(user, pk: int) -> Plan:
    related = ("country__region", "source_item__meeting__region", "source_alert", "created_by", "closed_by")
    return get_in_scope_or_404(plans_visible_to, user, Plan.objects.select_related(*related), pk)


@login_required
def plan_detail(request, pk: int, close_form: PlanCloseForm | None = None):
    plan = _visible_plan(request.user, pk)
    refused = close_form is not None and close_form.is_bound
    body = kept_for_reader(request, "plan", [plan.pk], partial(_plan_page, request, plan, close_form), afresh=refused)
    return render(request, "followup/plan_detail.html", {"plan": plan, "body": body}, status=400 if refused else 200)


def _plan_page(request, plan: Plan, close_form: PlanCloseForm | None) -> str:
    """The plan's page: kept for its reader until the data changes (hruf.figures_cache), and drawn afresh
    around a refused closing, which shows what was typed."""
    if plan.source_alert_id:
        alerts_read_by(request.user, [plan.source_alert])  # blanked in place; the page shows no evidence
    actions = actions_visible_to(request.user, plan.actions.select_related("owner", "lead_entity"))
    editor = can_edit_plan(request.user, plan)
    # Closing: the chair or EOSG, once no action is open (the service says so again, under a lock).
    open_actions = plan.actions.open().count() if editor and plan.closed_at is None else 0
    if editor and plan.closed_at is None and close_form is None:
        close_form = PlanCloseForm(initial={"lock_version": plan.lock_version})
    return draw_for_reader(
        request,
        "followup/_plan_detail_body.html",
        {
            "plan": plan, "actions": actions, "editor": editor, "today": timezone.localdate(),
            "readable_alerts": _readable_alerts(request.user, [plan]), "open_actions": open_actions,
            "close_form": close_form if editor and plan.closed_at is None else None,
        },
    )


@login_required
@post_only("followup:plan_detail", "pk")
def plan_close(request, pk: int):
    plan = _visible_plan(request.user, pk)
    require(can_edit_plan(request.user, plan))
    form = PlanCloseForm(request.POST)
    if form.is_valid():
        try:
            services.plan_close(plan=plan, actor=request.user, **form.cleaned_data)
        except services.InvalidInput as exc:
            for field, message in exc.errors.items():
                form.add_error(field, message)
        except (services.FollowupError, services.StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Plan closed with its outcome; the region's chairs and EOSG are told."))
            return redirect("followup:plan_detail", pk=plan.pk)
    return plan_detail(request, pk, close_form=form)


@login_required
def action_create(request, pk: int):
    plan = get_visible_or_404(plans_visible_to(request.user, Plan.objects.select_related("country__region")), pk=pk)
    require(can_edit_plan(request.user, plan))
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_add(plan=plan, actor=request.user, draft=form.draft())
        except services.InvalidInput as exc:
            for field, message in exc.errors.items():
                form.add_error(field, message)
        except services.FollowupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Action added; its owner has been notified."))
            return redirect("followup:action_detail", pk=action.pk)
    return render(request, "followup/action_form.html", {"plan": plan, "form": form}, status=400 if request.method == "POST" else 200)

