"""A small world for the packs: two countries of region A scanned in Q2 and Q3 2026, an RQR in
August that escalates Country A and gives Country B a plan, a SAG meeting that takes the case,
an urgent alert, and one overdue action beside a restricted one. Time stops on 1 September."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from followup import services as followup
from hruf.models import Entity
from reviews import services as reviews
from scans.models import Alert
from scans.periods import Period

from ..factories import file_scan

Q2, Q3 = Period.parse("2026-Q2"), Period.parse("2026-Q3")
AUGUST = Period.parse("2026-08")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def pdf_text(data: bytes) -> str:
    """The PDF's text on one line, so a phrase broken across lines still matches."""
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split())


def record(item, user, decision, reason, **extra):
    item.refresh_from_db()
    return reviews.item_record(
        item=item, actor=user, lock_version=item.lock_version, summary=extra.get("summary", "Discussed."),
        agreed_tier="", agreed_tier_reason="", decision=decision, decision_reason=reason, dissent="",
    )


@pytest.fixture
def world(time_machine, matrix, region_a, country_a, country_b, officer_a, officer_b, chair_a, sag, eosg, owner):
    time_machine.move_to(at(2026, 7, 10, 9), tick=False)
    file_scan(country_a, officer_a, Q2, rating=1)
    file_scan(country_b, officer_b, Q2, rating=1)
    time_machine.move_to(at(2026, 8, 12, 9), tick=False)
    file_scan(country_a, officer_a, Q3, rating=3, restricted=True, evidence="Source Nightingale in the capital")
    file_scan(country_b, officer_b, Q3, rating=2)
    alert = Alert.objects.create(
        country=country_a, title="Militia attack on Kodo market", location="Kodo", severity="severe",
        description="Dozens hurt.", evidence="Informant Falcon", raised_by=officer_a,
    )
    rqr = reviews.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 8, 20), chair=chair_a)
    time_machine.move_to(at(2026, 8, 20, 10), tick=False)
    rqr.refresh_from_db()
    reviews.agenda_publish(meeting=rqr, actor=chair_a, lock_version=rqr.lock_version)
    item_a, item_b = rqr.items.get(country=country_a), rqr.items.get(country=country_b)
    record(item_a, chair_a, "escalate", "Militias arming in the north")
    record(item_b, chair_a, "plan", "An adviser is needed")
    ohchr = Entity.objects.get(code="OHCHR")
    followup.plan_create(
        country=country_a, actor=eosg, title="Plan for Country A", source_item=item_a, today=dt.date(2026, 8, 20),
        actions=[
            followup.ActionDraft(title="Deploy a human rights adviser", lead_entity=ohchr, owner=owner, deadline=dt.date(2026, 8, 25)),
            followup.ActionDraft(
                title="Quiet talks with the envoy", lead_entity=ohchr, owner=owner, deadline=dt.date(2026, 8, 24), restricted=True
            ),
        ],
    )
    time_machine.move_to(at(2026, 8, 27, 10), tick=False)
    sag_meeting = reviews.sag_create(actor=sag, date=dt.date(2026, 8, 28), members=[sag])
    item_a.refresh_from_db()
    reviews.sag_take(actor=sag, meeting=sag_meeting, lock_version=0, source_item=item_a)
    sag_meeting.refresh_from_db()
    reviews.agenda_publish(meeting=sag_meeting, actor=sag, lock_version=sag_meeting.lock_version)
    time_machine.move_to(at(2026, 8, 28, 15), tick=False)
    record(sag_meeting.items.get(), sag, "plan", "Envoy to engage the authorities")
    time_machine.move_to(at(2026, 9, 1, 5), tick=False)
    rqr.refresh_from_db()
    sag_meeting.refresh_from_db()
    return SimpleNamespace(rqr=rqr, sag=sag_meeting, alert=alert)
