"""What each pack shows, rendered from templates/briefings/: the same content for the PDF and the print view."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from reviews.models import Meeting
from scans.periods import MONTHLY, Period

from .models import BriefingPack
from .selectors import meeting_pack_items, monthly_briefing

Kind = BriefingPack.Kind

BODY_TEMPLATES = {
    Kind.RQR: "briefings/_rqr_pack.html",
    Kind.SAG: "briefings/_sag_pack.html",
    Kind.MONTHLY: "briefings/_monthly.html",
}


def meeting_context(meeting: Meeting) -> dict:
    today = timezone.localdate()
    return {
        "kind": meeting.kind,
        "body_template": BODY_TEMPLATES[meeting.kind],
        "meeting": meeting,
        "items": meeting_pack_items(meeting, today),
        "today": today,
        "generated_at": timezone.now(),
    }


def monthly_context(month: Period, today: dt.date | None = None) -> dict:
    return {
        "kind": Kind.MONTHLY,
        "body_template": BODY_TEMPLATES[Kind.MONTHLY],
        "briefing": monthly_briefing(month, today),
        "generated_at": timezone.now(),
    }


def pack_html(pack: BriefingPack) -> str:
    """The standalone document WeasyPrint turns into the PDF (in the active language)."""
    if pack.kind == Kind.MONTHLY:
        context = monthly_context(Period(pack.period_start, MONTHLY))
    else:
        context = meeting_context(pack.meeting)
    return render_to_string("briefings/pdf.html", context)
