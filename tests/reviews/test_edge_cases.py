"""Refusals and races found in review: each answers with a message, never a 500 or a repeat."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hruf.models import Notification
from reviews import services
from reviews.models import AgendaItem, Meeting
from scans.periods import Period

from ..conftest import pass_second_factor
from ..factories import CountryFactory, file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")
DAY = dt.date(2026, 9, 25)


def _escalated(region, chair, officer, country):
    file_scan(country, officer, Q3, rating=3, evidence="e")
    meeting = services.rqr_create(actor=chair, region=region, quarter=Q3, date=DAY, chair=chair)
    services.agenda_publish(meeting=meeting, actor=chair, lock_version=meeting.lock_version)
    item = meeting.items.get(country=country)
    services.item_record(item=item, actor=chair, lock_version=0, summary="s", agreed_tier="", agreed_tier_reason="",
                         decision="escalate", decision_reason="r", dissent="")
    return item


def _record(item, user, **changes):
    item.refresh_from_db()
    fields = dict(summary="s", agreed_tier="", agreed_tier_reason="", decision="plan", decision_reason="d", dissent="")
    fields.update(changes)
    return services.item_record(item=item, actor=user, lock_version=item.lock_version, **fields)


def test_a_sag_record_saved_again_does_not_notify_again(region_a, chair_a, officer_a, country_a, sag):
    item = _escalated(region_a, chair_a, officer_a, country_a)
    sag_meeting = services.sag_create(actor=sag, date=DAY)
    taken = services.sag_take(actor=sag, meeting=sag_meeting, lock_version=0, source_item=item)
    services.agenda_publish(meeting=sag_meeting, actor=sag, lock_version=sag_meeting.lock_version)
    _record(taken, sag)
    _record(taken, sag, summary="typo fixed")
    assert Notification.objects.filter(recipient=chair_a, code="reviews.sag_decision").count() == 1


def test_a_case_goes_to_one_sag_agenda(region_a, chair_a, officer_a, country_a, sag):
    item = _escalated(region_a, chair_a, officer_a, country_a)
    first, second = services.sag_create(actor=sag, date=DAY), services.sag_create(actor=sag, date=DAY)
    services.sag_take(actor=sag, meeting=first, lock_version=0, source_item=item)
    with pytest.raises(services.ReviewError, match="already on a Senior Action Group agenda"):
        services.sag_take(actor=sag, meeting=second, lock_version=0, source_item=item)


def test_no_record_once_the_record_is_closed(region_a, chair_a, officer_a, country_a):
    item = _escalated(region_a, chair_a, officer_a, country_a)
    meeting = item.meeting
    services.meeting_advance(actor=chair_a, meeting=meeting, lock_version=meeting.lock_version)
    services.meeting_advance(actor=chair_a, meeting=meeting, lock_version=meeting.lock_version)
    stale = item  # loaded while the meeting still took records
    stale.meeting.state = Meeting.State.HELD
    with pytest.raises(services.StaleEdit):
        services.item_record(item=stale, actor=chair_a, lock_version=stale.lock_version, summary="late",
                             agreed_tier="", agreed_tier_reason="", decision="monitor", decision_reason="", dissent="")


def test_tampered_posts_get_404_or_a_message(login, region_a, chair_a, officer_a, country_a, sag):
    item = _escalated(region_a, chair_a, officer_a, country_a)
    sag_meeting = services.sag_create(actor=sag, date=DAY)
    client = login(sag)
    url = reverse("reviews:sag_take", args=[sag_meeting.pk])
    assert client.post(url, {"item": "abc", "lock_version": 0}).status_code == 404
    assert client.post(url, {"alert": "1x", "lock_version": 0}).status_code == 404
    rqr = services.rqr_create(actor=chair_a, region=region_a, quarter=Q3.next(), date=DAY, chair=chair_a)
    off = rqr.items.first() or services.agenda_add(actor=chair_a, meeting=rqr, country=country_a, reason="r", lock_version=0)
    rqr.refresh_from_db()
    services.agenda_remove(actor=chair_a, item=off, reason="r", lock_version=rqr.lock_version)
    rqr.refresh_from_db()
    response = login(chair_a).post(reverse("reviews:agenda_move", args=[rqr.pk, off.pk]),
                                   {"lock_version": rqr.lock_version, "direction": "up"}, follow=True)
    assert "is not on the agenda" in response.content.decode()
    assert item.pk


def test_an_absurd_quarter_is_refused_with_a_message(login, region_a, chair_a):
    response = login(chair_a).post(reverse("reviews:meeting_create"),
                                   {"kind": "rqr", "region": region_a.pk, "quarter": "9999-Q4", "date": "2026-09-25"})
    assert response.status_code == 400 and "is not a period" in response.content.decode()


def test_the_sag_page_and_the_chairs_home_do_not_grow_with_cases(region_a, chair_a, eosg):
    rqr = Meeting.objects.create(kind="rqr", region=region_a, quarter="2026-Q3", date=DAY, chair=chair_a, state="held")
    sag_meeting = services.sag_create(actor=eosg, date=DAY)
    eosg_client, chair_client = Client(), Client()
    eosg_client.force_login(eosg)
    pass_second_factor(eosg_client, eosg)
    chair_client.force_login(chair_a)

    def add_cases(n):
        for _ in range(n):
            item = AgendaItem.objects.create(
                meeting=rqr, country=CountryFactory(region=region_a), decision="escalate", decision_reason="r",
                recorded_by=chair_a, recorded_at=timezone.now(),
            )
            AgendaItem.objects.create(meeting=sag_meeting, country=item.country, source_item=item)

    def measure():
        counts = []
        for client, url in ((eosg_client, reverse("reviews:meeting_detail", args=[sag_meeting.pk])),
                            (chair_client, reverse("home"))):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    add_cases(2)
    few = measure()
    add_cases(6)
    assert measure() == few
