from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from hruf.permissions import can_edit_meeting, get_visible_or_404, meetings_visible_to, require

from ..models import AgendaItem, Meeting
from ..services import ReasonRequired


def meeting_for(user, pk: int) -> Meeting:
    return get_visible_or_404(meetings_visible_to(user, Meeting.objects.select_related("region", "chair")), pk=pk)


def meeting_to_edit(user, pk: int) -> Meeting:
    meeting = meeting_for(user, pk)
    require(can_edit_meeting(user, meeting))
    return meeting


def item_to_edit(user, meeting_pk: int, item_pk: int) -> AgendaItem:
    meeting = meeting_to_edit(user, meeting_pk)
    item = get_visible_or_404(meeting.items.select_related("country", "source_item"), pk=item_pk)
    item.meeting = meeting
    return item


def back(request, meeting: Meeting, error: Exception | None = None, reason_field: str = "", place: str = ""):
    """To the meeting page, with the refusal if any (shown at the top; a missing reason is linked to
    `reason_field`, its id); after a change, at `place` (an element's id: the country's card), so that the
    chair goes on where they were on a long page."""
    if error is not None:
        messages.error(request, str(error), extra_tags=reason_field if isinstance(error, ReasonRequired) else "")
        return redirect("reviews:meeting_detail", pk=meeting.pk)
    return redirect(reverse("reviews:meeting_detail", args=[meeting.pk]) + (f"#{place}" if place else ""))
