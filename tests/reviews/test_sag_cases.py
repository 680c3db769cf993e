"""A SAG meeting takes any number of cases of one country: each an item of its own, with its link."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from exports.rows import record_dataset
from exports.selectors import Filters
from hruf.models import Notification
from reviews import services
from reviews.models import AgendaItem, Decision
from reviews.selectors import sag_candidates
from scans import services as scan_services
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q2, Q3 = Period.parse("2026-Q2"), Period.parse("2026-Q3")
DAY = dt.date(2026, 9, 25)


def _escalated(region, chair, officer, country, quarter, reason):
    file_scan(country, officer, quarter, rating=3, evidence="e")
    meeting = services.rqr_create(actor=chair, region=region, quarter=quarter, date=quarter.end, chair=chair)
    services.agenda_publish(meeting=meeting, actor=chair, lock_version=meeting.lock_version)
    item = meeting.items.get(country=country)
    return services.item_record(item=item, actor=chair, lock_version=0, summary="s", agreed_tier="",
                                agreed_tier_reason="", decision=Decision.ESCALATE, decision_reason=reason, dissent="")


def _flagged(country, officer, chair, title):
    alert = scan_services.alert_raise(country=country, actor=officer, title=title, location="North",
                                      severity="imminent", description="d")
    return services.alert_flag_for_sag(alert=alert, actor=chair, reason="Imminent")


def _take(meeting, actor, **source):
    meeting.refresh_from_db()
    return services.sag_take(meeting=meeting, actor=actor, lock_version=meeting.lock_version, **source)


def _record(item, actor, decision, reason):
    item.refresh_from_db()
    return services.item_record(item=item, actor=actor, lock_version=item.lock_version, summary="Discussed",
                                agreed_tier="", agreed_tier_reason="", decision=decision, decision_reason=reason,
                                dissent="")


@pytest.fixture
def two_cases(region_a, chair_a, officer_a, country_a):
    """An escalated RQR item and a flagged alert, both of country A."""
    return (_escalated(region_a, chair_a, officer_a, country_a, Q3, "Killings feared"),
            _flagged(country_a, officer_a, chair_a, "Militia at the border"))


def test_it_takes_an_escalation_and_an_alert_of_one_country_as_two_items(two_cases, sag, chair_a, country_a):
    escalated, alert = two_cases
    meeting = services.sag_create(actor=sag, date=DAY)
    first = _take(meeting, sag, source_item=escalated)
    second = _take(meeting, sag, source_alert=alert)

    assert first.pk != second.pk
    items = list(meeting.items.order_by("position"))
    assert [(i.country, i.source_item, i.source_alert, i.position) for i in items] == [
        (country_a, escalated, None, 1), (country_a, None, alert, 2),
    ]
    items_left, alerts_left = sag_candidates(sag)
    assert list(items_left) == [] and list(alerts_left) == []


def test_each_case_of_one_country_records_its_own_decision(two_cases, sag, chair_a):
    escalated, alert = two_cases
    meeting = services.sag_create(actor=sag, date=DAY)
    from_rqr = _take(meeting, sag, source_item=escalated)
    from_alert = _take(meeting, sag, source_alert=alert)
    meeting.refresh_from_db()
    services.agenda_publish(meeting=meeting, actor=sag, lock_version=meeting.lock_version)

    _record(from_rqr, sag, Decision.PLAN, "Deploy a light team")
    _record(from_alert, sag, Decision.MONITOR, "Watch the border")

    from_rqr.refresh_from_db()
    from_alert.refresh_from_db()
    assert (from_rqr.decision, from_rqr.decision_reason, from_rqr.source_item) == (
        Decision.PLAN, "Deploy a light team", escalated)
    assert (from_alert.decision, from_alert.decision_reason, from_alert.source_alert) == (
        Decision.MONITOR, "Watch the border", alert)
    # The RQR's chair hears the decision on the case it escalated, and only that one.
    (notice,) = Notification.objects.filter(recipient=chair_a, code="reviews.sag_decision")
    assert notice.params["decision"] == Decision.PLAN
    services.meeting_advance(actor=sag, meeting=meeting, lock_version=meeting.lock_version)
    services.meeting_advance(actor=sag, meeting=meeting, lock_version=meeting.lock_version)
    assert meeting.state == "closed"


def test_it_takes_two_escalations_of_one_country_from_two_reviews(region_a, chair_a, officer_a, country_a, sag):
    from_q2 = _escalated(region_a, chair_a, officer_a, country_a, Q2, "Q2 escalation")
    from_q3 = _escalated(region_a, chair_a, officer_a, country_a, Q3, "Q3 escalation")
    assert set(sag_candidates(sag)[0]) == {from_q2, from_q3}
    meeting = services.sag_create(actor=sag, date=DAY)
    _take(meeting, sag, source_item=from_q2)
    _take(meeting, sag, source_item=from_q3)

    assert sorted(meeting.items.values_list("source_item", flat=True)) == sorted([from_q2.pk, from_q3.pk])
    assert list(sag_candidates(sag)[0]) == []
    meeting.refresh_from_db()
    services.agenda_publish(meeting=meeting, actor=sag, lock_version=meeting.lock_version)
    for item, decision in zip(meeting.items.order_by("position"), [Decision.PLAN, Decision.ENHANCED], strict=True):
        _record(item, sag, decision, "r")
    assert dict(meeting.items.values_list("source_item", "decision")) == {
        from_q2.pk: Decision.PLAN, from_q3.pk: Decision.ENHANCED,
    }


def test_taking_a_case_twice_is_refused_with_the_meeting_it_is_on(two_cases, sag):
    escalated, alert = two_cases
    meeting = services.sag_create(actor=sag, date=DAY)
    _take(meeting, sag, source_item=escalated)
    _take(meeting, sag, source_alert=alert)
    for source in ({"source_item": escalated}, {"source_alert": alert}):
        with pytest.raises(services.ReviewError, match=r"already on a Senior Action Group agenda: SAG 2026-09-25"):
            _take(meeting, sag, **source)
    assert meeting.items.count() == 2


def test_one_take_names_one_case(two_cases, sag):
    escalated, alert = two_cases
    meeting = services.sag_create(actor=sag, date=DAY)
    for sources in ({}, {"source_item": escalated, "source_alert": alert}):
        with pytest.raises(services.ReviewError, match="Choose one case"):
            _take(meeting, sag, **sources)
    assert not meeting.items.exists()


def test_the_database_keeps_a_case_on_one_sag_item(two_cases, sag, country_a):
    """The guard under the service's check, for two SAG meetings taking the same case at once."""
    escalated, alert = two_cases
    first, second = services.sag_create(actor=sag, date=DAY), services.sag_create(actor=sag, date=DAY)
    _take(first, sag, source_item=escalated)
    _take(first, sag, source_alert=alert)
    for source in ({"source_item": escalated}, {"source_alert": alert}):
        with pytest.raises(IntegrityError), transaction.atomic():
            AgendaItem.objects.create(meeting=second, country=country_a, **source)


def test_an_rqr_agenda_still_holds_a_country_once(region_a, chair_a, country_a):
    meeting = services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=DAY, chair=chair_a)
    services.agenda_add(actor=chair_a, meeting=meeting, country=country_a, reason="Watch", lock_version=0)
    meeting.refresh_from_db()
    with pytest.raises(services.ReviewError, match="already on the agenda"):
        services.agenda_add(actor=chair_a, meeting=meeting, country=country_a, reason="Again",
                            lock_version=meeting.lock_version)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, country=country_a)


def test_the_meeting_page_and_the_pack_show_both_cases_with_their_origin(two_cases, sag, login, country_a):
    escalated, alert = two_cases
    meeting = services.sag_create(actor=sag, date=DAY)
    from_rqr = _take(meeting, sag, source_item=escalated)
    from_alert = _take(meeting, sag, source_alert=alert)
    meeting.refresh_from_db()
    services.agenda_publish(meeting=meeting, actor=sag, lock_version=meeting.lock_version)
    client = login(sag)

    page = client.get(reverse("reviews:meeting_detail", args=[meeting.pk])).content.decode()
    assert page.count('<h3 class="h5" id="item-') == 2
    for item in (from_rqr, from_alert):  # a card each, reached from the agenda's jump list
        assert f'id="item-{item.pk}"' in page and f'href="#item-{item.pk}"' in page
    assert "escalated by RQR Region A 2026-Q3" in page and "from an urgent alert" in page
    assert "Militia at the border" in page and "Killings feared" in page
    for item in (from_rqr, from_alert):  # a record form each
        assert reverse("reviews:item_record", args=[meeting.pk, item.pk]) in page

    pack = client.get(reverse("reviews:meeting_print", args=[meeting.pk])).content.decode()
    assert f'id="pack-{from_rqr.pk}"' in pack and f'id="pack-{from_alert.pk}"' in pack
    assert "escalated by RQR Region A 2026-Q3" in pack and "from an urgent alert" in pack


def test_the_take_button_refuses_a_case_already_taken_with_a_message(two_cases, sag, login):
    escalated, _alert = two_cases
    meeting = services.sag_create(actor=sag, date=DAY)
    _take(meeting, sag, source_item=escalated)
    meeting.refresh_from_db()
    response = login(sag).post(reverse("reviews:sag_take", args=[meeting.pk]),
                               {"item": escalated.pk, "lock_version": meeting.lock_version}, follow=True)
    assert "This case is already on a Senior Action Group agenda: SAG 2026-09-25." in response.content.decode()
    assert meeting.items.count() == 1


def test_the_api_lists_each_case_with_its_link(two_cases, sag, client):
    escalated, alert = two_cases
    meeting = services.sag_create(actor=sag, date=DAY)
    _take(meeting, sag, source_item=escalated)
    _take(meeting, sag, source_alert=alert)
    client.force_login(sag)
    body = client.get(f"/api/v1/meetings/{meeting.pk}/items/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(r["country_name"], r["source_item"], r["source_alert"]) for r in rows] == [
        ("Country A", escalated.pk, None), ("Country A", None, alert.pk),
    ]


def test_the_records_export_tells_the_cases_of_one_country_apart(two_cases, sag, eosg):
    escalated, alert = two_cases
    meeting = services.sag_create(actor=sag, date=DAY)
    from_rqr = _take(meeting, sag, source_item=escalated)
    from_alert = _take(meeting, sag, source_alert=alert)
    meeting.refresh_from_db()
    services.agenda_publish(meeting=meeting, actor=sag, lock_version=meeting.lock_version)
    _record(from_rqr, sag, Decision.PLAN, "p")
    _record(from_alert, sag, Decision.MONITOR, "m")

    dataset = record_dataset(eosg, Filters(), include_restricted=False)
    columns = [dataset.headers.index(h) for h in ("Decision", "Agenda item", "Escalated from agenda item", "Urgent alert")]
    sag_rows = [[row[i] for i in columns] for row in dataset.rows() if row[0] == meeting.pk]
    assert sag_rows == [
        ["Adopt a follow-up plan", from_rqr.pk, escalated.pk, None],
        ["Keep monitoring", from_alert.pk, None, alert.pk],
    ]
