"""RQR and SAG meetings: the queue, creation, the agenda builder, publication and the pack."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from hruf.figures_cache import draw_for_reader, kept_for_reader
from hruf.ids import object_id
from hruf.models import Country
from hruf.paging import OlderPage
from hruf.permissions import (
    agenda_items_visible_to,
    can_confirm_enhanced_reporting,
    can_create_rqr_meeting,
    can_create_sag_meeting,
    can_edit_meeting,
    can_read_whole_meeting,
    get_visible_or_404,
    meetings_visible_to,
    regions_chaired_by,
    require,
    sole_region_chaired_by,
)
from hruf.post_only import post_only
from scans.framework import LensSummary, framework_lenses
from scans.selectors import alerts_read_by, latest_revision_ids

from .. import services
from ..forms import (
    AgendaAddForm,
    AgendaRemoveForm,
    EnhancedDeclineForm,
    LockForm,
    RecordForm,
    RqrCreateForm,
    SagCreateForm,
)
from ..models import Meeting, without_records
from ..ranking import rank_countries
from ..selectors import (
    CountryActions,
    external_risk_by_country,
    open_actions_by_country,
    region_map,
    region_risks,
    review_warnings,
    sag_candidates,
)
from .common import back, item_to_edit, meeting_for, meeting_to_edit

MEETING_PAGE = 25  # meetings a page of the list shows, latest first; older ones a link away


@login_required
def meeting_list(request):
    """Kept for its reader until the data changes (hruf.figures_cache)."""
    return render(request, "reviews/meeting_list.html", {"body": kept_for_reader(request, "meetings", [],
                                                                                  partial(_meeting_list, request))})


def _meeting_list(request) -> str:
    meetings = meetings_visible_to(request.user, Meeting.objects.select_related("region", "chair")
                                   .defer(*without_records(meeting="")))
    page = OlderPage.of(request, meetings, at="date", size=MEETING_PAGE)
    return draw_for_reader(
        request,
        "reviews/_meeting_list_body.html",
        {
            "meetings": page.rows,
            "older": page.older,
            "paged": page.paged,
            "rqr_form": RqrCreateForm(regions=regions_chaired_by(request.user),
                                      initial={"region": sole_region_chaired_by(request.user)})
            if can_create_rqr_meeting(request.user) else None,
            "sag_form": SagCreateForm() if can_create_sag_meeting(request.user) else None,
        },
    )


@login_required
@post_only("reviews:meeting_list")
def meeting_create(request):
    kind = request.POST.get("kind")
    if kind == "sag":
        require(can_create_sag_meeting(request.user))
        form = SagCreateForm(request.POST)
        if form.is_valid():
            meeting = services.sag_create(actor=request.user, date=form.cleaned_data["date"], members=form.cleaned_data["members"])
            messages.success(request, _("SAG meeting created. Add the candidate cases to its agenda."))
            return redirect("reviews:meeting_detail", pk=meeting.pk)
    else:
        require(can_create_rqr_meeting(request.user))
        form = RqrCreateForm(request.POST, regions=regions_chaired_by(request.user))
        if form.is_valid():
            d = form.cleaned_data
            try:
                meeting = services.rqr_create(actor=request.user,
                    region=d["region"], quarter=d["quarter"], date=d["date"], chair=request.user, entities=d["entities"]
                )
            except (services.ReviewError, services.StaleEdit) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Review created; the app proposed the countries below. Review the selection."))
                return redirect("reviews:meeting_detail", pk=meeting.pk)
    return render(request, "reviews/meeting_form.html", {"form": form, "kind": kind}, status=400)


@login_required
def meeting_detail(request, pk: int):
    """The agenda, kept for its reader until the data changes (hruf.figures_cache): a chair preparing a review
    opens it again and again. A page with a refusal to show beside its field is drawn afresh."""
    meeting = meeting_for(request.user, pk)
    editable = can_edit_meeting(request.user, meeting)
    body = kept_for_reader(request, "agenda", [meeting.pk], partial(_agenda, request, meeting, editable))
    return render(request, "reviews/meeting_detail.html", {"meeting": meeting, "editable": editable, "body": body})


def _agenda(request, meeting: Meeting, editable: bool) -> str:
    items = list(
        agenda_items_visible_to(request.user, meeting, meeting.items.all()).select_related(
            "country", "recorded_by", "source_item__meeting__region", "source_item__recorded_by", "source_alert",
            "snap_revision__scan",
            "enhanced_confirmed_by", "enhanced_declined_by",
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
        context["review_warnings"] = review_warnings(meeting, on_agenda)
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
    # Drawn when the page shows it: a published agenda's frozen region comes from the fragment cache.
    context["region_map"] = SimpleLazyObject(
        partial(_region_map, meeting, rows, live=bool(context.get("ranked_rows")), whole=context["whole"]))
    context["fragment_seconds"] = settings.FRAGMENT_CACHE_SECONDS
    ranked = {row["country_id"]: row["revision_id"] for row in context.get("ranked_rows", [])}
    _attach_lenses(meeting, context["included"], ranked)
    if context["can_confirm"]:
        for item in context["included"]:
            if item.enhanced_awaits_eosg:
                item.decline_form = EnhancedDeclineForm(prefix=f"decline-{item.pk}")
    if editable and meeting.accepts_records:
        for item in context["included"]:
            item.form = RecordForm(
                instance=item, prefix=f"item-{item.pk}", initial={"lock_version": item.lock_version}, meeting=meeting
            )
    return draw_for_reader(request, "reviews/_meeting_body.html", context)


@login_required
@post_only("reviews:meeting_detail", "pk")
def agenda_add(request, pk: int):
    meeting = meeting_to_edit(request.user, pk)
    form = AgendaAddForm(request.POST)
    if not form.is_valid():
        return back(request, meeting, services.ReviewError(_("The form was incomplete; nothing changed.")))
    country = get_visible_or_404(Country.objects.all(), pk=form.cleaned_data["country"])
    try:
        item = services.agenda_add(actor=request.user,
            meeting=meeting, country=country, reason=form.cleaned_data["reason"],
            lock_version=form.cleaned_data["lock_version"],
        )
    except (services.ReviewError, services.StaleEdit) as exc:
        return back(request, meeting, exc, reason_field=f"add-reason-{country.pk}")
    messages.success(request, _("%(country)s added to the agenda.") % {"country": country})
    return back(request, meeting, place=f"item-{item.pk}")


@login_required
@post_only("reviews:meeting_detail", "pk")
def agenda_remove(request, pk: int, item_pk: int):
    item = item_to_edit(request.user, pk, item_pk)
    form = AgendaRemoveForm(request.POST)
    if not form.is_valid():
        return back(request, item.meeting, services.ReviewError(_("The form was incomplete; nothing changed.")))
    try:
        services.agenda_remove(actor=request.user, item=item, reason=form.cleaned_data["reason"], lock_version=form.cleaned_data["lock_version"])
    except (services.ReviewError, services.StaleEdit) as exc:
        return back(request, item.meeting, exc, reason_field=f"remove-{item.pk}")
    messages.success(request, _("%(country)s taken off the agenda.") % {"country": item.country})
    return back(request, item.meeting, place=f"country-{item.country_id}")


@login_required
@post_only("reviews:meeting_detail", "pk")
def agenda_move(request, pk: int, item_pk: int):
    item = item_to_edit(request.user, pk, item_pk)
    form = LockForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ReviewError(_("The form was incomplete; nothing changed."))
        services.agenda_move(actor=request.user, item=item, up=request.POST.get("direction") == "up", lock_version=form.cleaned_data["lock_version"])
    except (services.ReviewError, services.StaleEdit) as exc:
        return back(request, item.meeting, exc)
    return back(request, item.meeting, place=f"item-{item.pk}")


@login_required
@post_only("reviews:meeting_detail", "pk")
def agenda_reorder(request, pk: int):
    """Several places at once: a number typed in each country's Position box."""
    meeting = meeting_to_edit(request.user, pk)
    form = LockForm(request.POST)
    positions = {}
    for name, value in request.POST.items():
        if name.startswith("position-") and value.strip():
            item_pk, place = object_id(name.removeprefix("position-")), object_id(value.strip())
            if item_pk is None or place is None:
                return back(request, meeting, services.ReviewError(
                    _("Give each position as a whole number (1 is first); nothing was moved.")))
            positions[item_pk] = place
    try:
        if not form.is_valid():
            raise services.ReviewError(_("The form was incomplete; nothing changed."))
        services.agenda_reorder(meeting=meeting, actor=request.user, positions=positions,
                                lock_version=form.cleaned_data["lock_version"])
    except (services.ReviewError, services.StaleEdit) as exc:
        return back(request, meeting, exc)
    messages.success(request, _("The agenda's order is saved."))
    return back(request, meeting, place="agenda-heading")


@login_required
def agenda_publish(request, pk: int):
    """GET asks for confirmation, saying what the agenda lacks; POST publishes (and freezes) it."""
    meeting = meeting_to_edit(request.user, pk)
    if request.method != "POST":
        if not meeting.in_preparation:
            return back(request, meeting)
        return render(request, "reviews/publish_confirm.html", _publish_check(meeting))
    form = LockForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ReviewError(_("The form was incomplete; nothing changed."))
        services.agenda_publish(meeting=meeting, actor=request.user, lock_version=form.cleaned_data["lock_version"])
    except (services.ReviewError, services.StaleEdit) as exc:
        return back(request, meeting, exc)
    messages.success(request, _("Agenda published and frozen: the scores below are what the meeting sees."))
    return back(request, meeting)


@login_required
@post_only("reviews:meeting_detail", "pk")
def meeting_advance(request, pk: int):
    meeting = meeting_to_edit(request.user, pk)
    form = LockForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ReviewError(_("The form was incomplete; nothing changed."))
        services.meeting_advance(actor=request.user, meeting=meeting, lock_version=form.cleaned_data["lock_version"])
    except (services.ReviewError, services.StaleEdit) as exc:
        return back(request, meeting, exc)
    messages.success(request, _("Meeting is now: %(state)s.") % {"state": meeting.get_state_display()})
    return back(request, meeting)


@login_required
def meeting_print(request, pk: int):
    """The agenda pack, kept for its reader until the data changes (hruf.figures_cache)."""
    meeting = meeting_for(request.user, pk)
    body = kept_for_reader(request, "agenda-pack", [meeting.pk], partial(_pack, request, meeting))
    return render(request, "reviews/meeting_print.html", {"meeting": meeting, "body": body})


def _pack(request, meeting: Meeting) -> str:
    items = list(
        agenda_items_visible_to(request.user, meeting, meeting.items.included())
        .select_related("country", "snap_revision__scan", "source_item__meeting__region")
        .order_by("position", "id")
    )
    today = timezone.localdate()
    actions = open_actions_by_country(
        country_ids=[i.country_id for i in items], reader=request.user, as_of=today, limit=settings.PACK_OPEN_ACTIONS
    )
    for item in items:
        group = actions.get(item.country_id, CountryActions())
        item.open_actions, item.more_actions = group.shown, group.more
    _attach_lenses(meeting, items)
    return draw_for_reader(request, "reviews/_meeting_print_body.html", {"meeting": meeting, "items": items, "today": today})


def _publish_check(meeting: Meeting) -> dict:
    """What publishing would freeze, and what is missing from it: countries of the region with no scan
    for the quarter (on the agenda or not) and warnings neither on the agenda nor deferred."""
    items = list(meeting.items.included().select_related("country").order_by("position", "id"))
    on_agenda = {i.country_id for i in items}
    context = {"meeting": meeting, "items": items, "lock": LockForm(initial={"lock_version": meeting.lock_version})}
    if meeting.is_rqr:
        risks = region_risks(meeting)
        context["countries"] = len(risks)
        context["missing"] = [r for r in risks if r.missing]
        context["missing_on_agenda"] = [r for r in context["missing"] if r.country_id in on_agenda]
        context["unanswered"] = [w for w in review_warnings(meeting, on_agenda) if not w.answered]
    return context


def _region_map(meeting: Meeting, rows: list[dict], *, live: bool, whole: bool):
    """The RQR's region on a map, beside the table it draws (shown to those who see the table)."""
    if not (meeting.is_rqr and rows and (live or whole)):
        return None
    caption = _("The region by risk, as of now") if live else _(
        "The region by risk, as frozen when the agenda was published")
    return region_map(rows, caption=caption)


def _attach_lenses(meeting: Meeting, items, ranked: dict[int, int | None] | None = None) -> None:
    """Each agenda card's Framework of Analysis summary: frozen with a published agenda; live before, from
    the scan the ranking reads (the review's quarter), else the country's last one. Four or five queries
    while in preparation (the fifth for case-specific indicators' mappings), none after."""
    if not meeting.in_preparation:
        for item in items:
            item.lens = LensSummary.from_json(item.snap_framework)
        return
    revisions = {c: r for c, r in (ranked or {}).items() if r} or latest_revision_ids([i.country_id for i in items])
    lenses = framework_lenses(revisions.values())
    for item in items:
        revision = revisions.get(item.country_id)
        item.lens = LensSummary.of(lenses[revision]) if revision else None
