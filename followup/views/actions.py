"""Actions: the owner's list, one action's page, status updates, benchmarks, reassignment."""

import datetime as dt
import operator
from functools import partial, reduce

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hruf.figures_cache import draw_for_reader, kept_for_reader
from hruf.paging import Page, page_link
from hruf.permissions import (
    actions_visible_to,
    can_edit_plan,
    can_overrule_action,
    can_update_action,
    get_in_scope_or_404,
    get_visible_or_404,
    require,
)
from hruf.post_only import post_only

from .. import services
from ..forms import ActionUpdateForm, BenchmarkForm, BenchmarkMetForm, ExtendForm, ReassignForm, ReopenForm
from ..models import Action, ActionStatus, Benchmark
from ..models.plans import late_q


def _action_for(user, pk: int) -> Action:
    return get_in_scope_or_404(actions_visible_to, user, Action.objects.select_related(
        "plan__country__region", "owner", "lead_entity"), pk)


SECTIONS = ("overdue", "blocked", "due_soon", "later")
SECTION_PAGE = 25  # rows per section: an owner with hundreds of open actions pages through them


@login_required
def my_actions(request):
    """The owner's open actions in four sections, each paged on its own, in one query: the section,
    the position in it and its size are computed by the database, which returns only the rows shown.
    Kept for its reader until the data changes (hruf.figures_cache)."""
    body = kept_for_reader(request, "my-actions", [], partial(_my_actions, request))
    return render(request, "followup/my_actions.html", {"body": body})


def _my_actions(request) -> str:
    today = timezone.localdate()
    soon = today + dt.timedelta(days=settings.FOLLOWUP_DUE_SOON_DAYS)
    pages = {name: Page.requested(request, SECTION_PAGE, name) for name in SECTIONS}
    rows = (
        Action.objects.open()
        .filter(owner=request.user)
        .with_next_due()
        .annotate(section=Case(
            When(late_q(today), then=Value("overdue")),
            When(status=ActionStatus.BLOCKED, then=Value("blocked")),
            When(next_due_date__lte=soon, then=Value("due_soon")),
            default=Value("later"),
        ))
        .annotate(
            position=Window(RowNumber(), partition_by=F("section"), order_by=[F("next_due_date").asc(), F("pk").asc()]),
            section_size=Window(Count("pk"), partition_by=F("section")),
        )
        .filter(reduce(operator.or_, (
            Q(section=name, position__gt=page.start, position__lte=page.stop) for name, page in pages.items()
        )))
        .select_related("plan__country", "lead_entity")
        .order_by("next_due_date", "pk")
    )
    shown = {name: [] for name in SECTIONS}
    for a in rows:
        shown[a.section].append(a)
    context = {"today": today, "soon_days": settings.FOLLOWUP_DUE_SOON_DAYS, **shown, "pagers": {}}
    for name, page in pages.items():
        size = shown[name][0].section_size if shown[name] else 0
        if page.previous and not shown[name]:  # past the end (an old link): back to the section's start
            context["pagers"][name] = {"size": 0, "first": 0, "last": 0, "next": "",
                                       "previous": page_link(request, name, 1)}
            continue
        following = page.following(page.stop < size)
        context["pagers"][name] = {
            "size": size,
            "first": page.first,
            "last": page.last(len(shown[name])),
            "previous": page_link(request, name, page.previous) if page.previous else "",
            "next": page_link(request, name, following) if following else "",
        }
    return draw_for_reader(request, "followup/_my_actions_body.html", context)


def _detail(request, action: Action, *, status=200, **forms):
    """The action's page: kept for its reader until the data changes (hruf.figures_cache), and drawn afresh
    around the forms of a refused change, which show what was typed."""
    body = kept_for_reader(request, "action", [action.pk], partial(_action_page, request, action, **forms),
                           afresh=bool(forms))
    return render(request, "followup/action_detail.html", {"action": action, "body": body}, status=status)


def _action_page(request, action: Action, *, update_form=None, benchmark_form=None, reassign_form=None, met_forms=None,
                 extend_form=None, reopen_form=None) -> str:
    owner = can_update_action(request.user, action)
    editor = can_edit_plan(request.user, action.plan)
    overrule = can_overrule_action(request.user, action)
    lock = {"lock_version": action.lock_version}
    benchmarks = list(action.benchmarks.all())
    met_forms = met_forms or {}
    for b in benchmarks:
        b.form = met_forms.get(b.pk, BenchmarkMetForm(prefix=f"b{b.pk}")) if owner and not b.met_at else None
    return draw_for_reader(
        request,
        "followup/_action_detail_body.html",
        {
            "action": action,
            "today": timezone.localdate(),
            "benchmarks": benchmarks,
            "updates": action.updates.select_related("author")[:100],
            "events": action.events.all()[:100],
            "supporting": action.supporting_entities.all(),
            "deadline_changes": action.deadline_changes.select_related("author")[:100],
            "update_form": update_form or (_update_form(action) if owner and action.is_open else None),
            "closed_for_owner": owner and not action.is_open,
            "extend_form": extend_form or (ExtendForm(initial=lock) if overrule and action.is_open else None),
            "reopen_form": reopen_form or (ReopenForm(initial=lock) if overrule and not action.is_open else None),
            "benchmark_form": benchmark_form or (BenchmarkForm() if owner or editor else None),
            "reassign_form": reassign_form or (ReassignForm(initial={"owner": action.owner_id, "deadline": action.deadline, "lock_version": action.lock_version}) if editor else None),
        },
    )


def _update_form(action: Action, data=None) -> ActionUpdateForm:
    """Only the moves the life cycle allows from the current status are offered (the service
    checks again: the page may be stale, and the API offers everything)."""
    form = ActionUpdateForm(data, initial={"lock_version": action.lock_version, "status": action.status})
    allowed = action.allowed_moves(by_owner=True)
    form.fields["status"].choices = [(v, label) for v, label in ActionStatus.choices if v in allowed or data]
    return form


@login_required
def action_detail(request, pk: int):
    return _detail(request, _action_for(request.user, pk))


def _apply_errors(form, exc):
    for field, message in getattr(exc, "errors", {}).items():
        form.add_error(field if field in form.fields else None, message)
    if not getattr(exc, "errors", None):
        form.add_error(None, str(exc))


def _post(request, action: Action, form, call, success: str, which: str):
    """Validate, call the service, redirect on success; otherwise re-show the page with what was typed."""
    if form.is_valid():
        try:
            call(**form.cleaned_data)
        except (services.FollowupError, services.StaleEdit) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("followup:action_detail", pk=action.pk)
    return _detail(request, action, status=400, **{which: form})


@login_required
@post_only("followup:action_detail", "pk")
def action_update(request, pk: int):
    action = _action_for(request.user, pk)
    require(can_update_action(request.user, action))
    call = partial(services.action_update, action=action, actor=request.user)
    return _post(request, action, _update_form(action, request.POST), call, _("Action updated."), "update_form")


@login_required
@post_only("followup:action_detail", "pk")
def action_reassign(request, pk: int):
    action = _action_for(request.user, pk)
    require(can_edit_plan(request.user, action.plan))
    call = partial(services.action_reassign, action=action, actor=request.user)
    return _post(request, action, ReassignForm(request.POST), call, _("Owner and deadline saved."), "reassign_form")


@login_required
@post_only("followup:action_detail", "pk")
def action_extend(request, pk: int):
    action = _action_for(request.user, pk)
    require(can_overrule_action(request.user, action))
    call = partial(services.action_extend, action=action, actor=request.user)
    return _post(request, action, ExtendForm(request.POST), call, _("Deadline extended."), "extend_form")


@login_required
@post_only("followup:action_detail", "pk")
def action_reopen(request, pk: int):
    action = _action_for(request.user, pk)
    require(can_overrule_action(request.user, action))
    call = partial(services.action_reopen, action=action, actor=request.user)
    return _post(request, action, ReopenForm(request.POST), call, _("Action reopened."), "reopen_form")


@login_required
@post_only("followup:action_detail", "pk")
def benchmark_create(request, pk: int):
    action = _action_for(request.user, pk)
    require(can_update_action(request.user, action) or can_edit_plan(request.user, action.plan))
    call = partial(services.benchmark_add, action=action, actor=request.user)
    return _post(request, action, BenchmarkForm(request.POST), call, _("Benchmark added."), "benchmark_form")


@login_required
@post_only("followup:my_actions")
def benchmark_met(request, pk: int):
    benchmark = get_visible_or_404(Benchmark.objects.select_related("action"), pk=pk)
    action = _action_for(request.user, benchmark.action_id)
    require(can_update_action(request.user, action))
    form = BenchmarkMetForm(request.POST, prefix=f"b{benchmark.pk}")
    if form.is_valid():
        try:
            services.benchmark_meet(benchmark=benchmark, actor=request.user, evidence=form.cleaned_data["evidence"])
        except (services.FollowupError, services.StaleEdit) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Benchmark recorded as met."))
            return redirect("followup:action_detail", pk=action.pk)
    return _detail(request, action, met_forms={benchmark.pk: form}, status=400)
