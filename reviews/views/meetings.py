"""RQR and SAG meetings: the queue, creation, the agenda builder, publication and the pack."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hruf.models import Country, Region
from hruf.permissions import (
    actions_visible_to,
    agenda_items_visible_to,
    can_confirm_enhanced_reporting,
    can_create_sag_meeting,
    can_edit_meeting,
    can_read_whole_meeting,
    get_visible_or_404,
    meetings_visible_to,
    require,
    scope_of,
)
from scans.selectors import alerts_read_by

from .. import services
from ..forms import AgendaAddForm, AgendaRemoveForm, LockForm, RecordForm, RqrCreateForm, SagCreateForm
from ..models import Meeting
from ..ranking import rank_countries
from ..selectors import external_risk_by_country, region_risks, sag_candidates
from .common import back, item_to_edit, meeting_for, meeting_to_edit

MEETING_LIST_LIMIT = 100


def _chaired_regions(user):
    return Region.objects.filter(pk__in=scope_of(user).chair_regions)


@login_required
def meeting_list(request):
    meetings = meetings_visible_to(request.user, Meeting.objects.select_related("region", "chair"))
    return render(
        request,
        "reviews/meeting_list.html",
        {
            "meetings": meetings[:MEETING_LIST_LIMIT],
            "limit": MEETING_LIST_LIMIT,
            "rqr_form": RqrCreateForm(regions=_chaired_regions(request.user)) if scope_of(request.user).chair_regions else None,
            "sag_form": SagCreateForm() if can_create_sag_meeting(request.user) else None,
        },
    )


@login_required
@require_POST
def meeting_create(request):
    kind = request.POST.get("kind")
    if kind == "sag":
        require(can_create_sag_meeting(request.user))
        form = SagCreateForm(request.POST)
        if form.is_valid():
            meeting = services.sag_create(date=form.cleaned_data["date"], members=form.cleaned_data["members"])
            messages.success(request, _("SAG meeting created. Add the candidate cases to its agenda."))
            return redirect("reviews:meeting_detail", pk=meeting.pk)
    else:
        regions = _chaired_regions(request.user)
        require(regions.exists())
        form = RqrCreateForm(request.POST, regions=regions)
        if form.is_valid():
            d = form.cleaned_data
            try:
                meeting = services.rqr_create(
                    region=d["region"], quarter=d["quarter"], date=d["date"], chair=request.user, entities=d["entities"]
                )
            except services.ReviewError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Review created; the app proposed the countries below. Review the selection."))
                return redirect("reviews:meeting_detail", pk=meeting.pk)
    return render(request, "reviews/meeting_form.html", {"form": form, "kind": kind}, status=400)


@login_required
def meeting_detail(request, pk: int):
    meeting = meeting_for(request.user, pk)
    editable = can_edit_meeting(request.user, meeting)
    items = list(
        agenda_items_visible_to(request.user, meeting, meeting.items.all()).select_related(
            "country", "recorded_by", "source_item__meeting__region", "source_item__recorded_by", "source_alert",
            "snap_revision__scan",
            "enhanced_confirmed_by",
        ).order_by("-included", "position", "id")
    )
    alerts_read_by(request.user, [i.source_alert for i in items if i.source_alert_id])  # blanked in place
    context = {
        "meeting": meeting,
        "editable": editable,
        "whole": can_read_whole_meeting(request.user, meeting) or editable,
        "included": [i for i in items if i.included],
        "excluded": [i for i in items if not i.included],
        "lock": LockForm(initial={"lock_version": meeting.lock_version}),
        "can_confirm": can_confirm_enhanced_reporting(request.user),
        # Follow-up plans are drafted by the region's chair (RQR decisions) or EOSG (any decision).
        "can_plan": (meeting.is_rqr and editable) or can_confirm_enhanced_reporting(request.user),
    }
    if meeting.in_preparation and meeting.is_rqr:
        on_agenda = {i.country_id for i in items if i.included}
        ranked = rank_countries(region_risks(meeting), jump_threshold=settings.RQR_JUMP_THRESHOLD)
        context["ranked_rows"] = [r.as_row() for r in ranked]
        context["on_agenda"] = on_agenda
    if meeting.in_preparation and not meeting.is_rqr and editable:
        context["sag_candidates"] = sag_candidates(request.user)
    # External structural risk: context shown beside the scores, never an input to them (one query).
    rows = context.get("ranked_rows") or [dict(row) for row in meeting.snapshot]
    external = external_risk_by_country({i.country_id for i in items} | {r["country_id"] for r in rows}, meeting.date)
    for row in rows:
        row["external"] = external.get(row["country_id"])
    for item in items:
        item.external = external.get(item.country_id)
    context["snapshot_rows"] = rows
    if editable and meeting.accepts_records:
        for item in context["included"]:
            item.form = RecordForm(
                instance=item, prefix=f"item-{item.pk}", initial={"lock_version": item.lock_version}
            )
    return render(request, "reviews/meeting_detail.html", context)


@login_required
@require_POST
def agenda_add(request, pk: int):
    meeting = meeting_to_edit(request.user, pk)
    form = AgendaAddForm(request.POST)
    if not form.is_valid():
        return back(request, meeting, services.ReviewError(_("The form was incomplete; nothing changed.")))
    country = get_visible_or_404(Country.objects.all(), pk=form.cleaned_data["country"])
    try:
        services.agenda_add(
            meeting=meeting, country=country, reason=form.cleaned_data["reason"],
            lock_version=form.cleaned_data["lock_version"],
        )
    except services.ReviewError as exc:
        return back(request, meeting, exc)
    messages.success(request, _("%(country)s added to the agenda.") % {"country": country})
    return back(request, meeting)


@login_required
@require_POST
def agenda_remove(request, pk: int, item_pk: int):
    item = item_to_edit(request.user, pk, item_pk)
    form = AgendaRemoveForm(request.POST)
    if not form.is_valid():
        return back(request, item.meeting, services.ReviewError(_("The form was incomplete; nothing changed.")))
    try:
        services.agenda_remove(item=item, reason=form.cleaned_data["reason"], lock_version=form.cleaned_data["lock_version"])
    except services.ReviewError as exc:
        return back(request, item.meeting, exc)
    messages.success(request, _("%(country)s taken off the agenda.") % {"country": item.country})
    return back(request, item.meeting)


@login_required
@require_POST
def agenda_move(request, pk: int, item_pk: int):
    item = item_to_edit(request.user, pk, item_pk)
    form = LockForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ReviewError(_("The form was incomplete; nothing changed."))
        services.agenda_move(item=item, up=request.POST.get("direction") == "up", lock_version=form.cleaned_data["lock_version"])
    except services.ReviewError as exc:
        return back(request, item.meeting, exc)
    return back(request, item.meeting)


@login_required
@require_POST
def agenda_publish(request, pk: int):
    meeting = meeting_to_edit(request.user, pk)
    form = LockForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ReviewError(_("The form was incomplete; nothing changed."))
        services.agenda_publish(meeting=meeting, user=request.user, lock_version=form.cleaned_data["lock_version"])
    except services.ReviewError as exc:
        return back(request, meeting, exc)
    messages.success(request, _("Agenda published and frozen: the scores below are what the meeting sees."))
    return back(request, meeting)


@login_required
@require_POST
def meeting_advance(request, pk: int):
    meeting = meeting_to_edit(request.user, pk)
    form = LockForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ReviewError(_("The form was incomplete; nothing changed."))
        services.meeting_advance(meeting=meeting, lock_version=form.cleaned_data["lock_version"])
    except services.ReviewError as exc:
        return back(request, meeting, exc)
    messages.success(request, _("Meeting is now: %(state)s.") % {"state": meeting.get_state_display()})
    return back(request, meeting)


PACK_ACTIONS = 10  # most urgent open actions per country on paper; the rest are counted


def _pack_actions(user, country_ids) -> dict[int, list]:
    """The first PACK_ACTIONS open actions of each country by deadline, each carrying its country's
    total (of_country), in one query: a big country has hundreds, which made the pack slow to build."""
    action_model = Country.plans.rel.related_model.actions.rel.related_model
    open_ = action_model.objects.filter(plan__country_id__in=country_ids, status__in=["planned", "in_progress", "blocked"])
    visible = actions_visible_to(user, open_).values("pk")
    by_country = {"partition_by": F("plan__country_id")}
    rows = (
        action_model.objects.filter(pk__in=visible)
        .annotate(
            rank=Window(RowNumber(), order_by=[F("deadline").asc(), F("pk").asc()], **by_country),
            of_country=Window(Count("pk"), **by_country),
        )
        .filter(rank__lte=PACK_ACTIONS)
        .select_related("lead_entity", "plan")
        .only("title", "deadline", "lead_entity__code", "plan__country_id")
        .order_by("deadline", "pk")
    )
    grouped: dict[int, list] = {}
    for action in rows:
        grouped.setdefault(action.plan.country_id, []).append(action)
    return grouped


@login_required
def meeting_print(request, pk: int):
    meeting = meeting_for(request.user, pk)
    items = list(
        agenda_items_visible_to(request.user, meeting, meeting.items.included())
        .select_related("country", "snap_revision__scan", "source_item__meeting")
        .order_by("position", "id")
    )
    actions = _pack_actions(request.user, [i.country_id for i in items])
    for item in items:
        item.open_actions = actions.get(item.country_id, [])
        item.more_actions = item.open_actions[0].of_country - len(item.open_actions) if item.open_actions else 0
    return render(
        request, "reviews/meeting_print.html", {"meeting": meeting, "items": items, "today": timezone.localdate()}
    )
