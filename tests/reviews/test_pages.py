"""The review pages: the chair's journey, refusals that keep input, boundaries, and query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from reviews.models import AgendaItem, Meeting
from scans.periods import Period

from ..factories import CountryFactory, bulk_history, file_scan, quarters_before

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")


@pytest.fixture
def meeting(region_a, chair_a, country_a, officer_a):
    file_scan(country_a, officer_a, Q3, rating=3, evidence="Restricted source", restricted=True)
    return services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 9, 25), chair=chair_a)


def _publish(meeting, user):
    services.agenda_publish(meeting=meeting, actor=user, lock_version=meeting.lock_version)
    return meeting


def test_the_chair_builds_publishes_and_records_in_the_browser(login, chair_a, region_a, country_a, country_b, officer_a):
    file_scan(country_a, officer_a, Q3, rating=3, evidence="e")
    client = login(chair_a)
    response = client.post(reverse("reviews:meeting_create"), {"kind": "rqr", "region": region_a.pk, "quarter": "2026-Q3", "date": "2026-09-25"})
    meeting = Meeting.objects.get()
    assert response.url == reverse("reviews:meeting_detail", args=[meeting.pk])
    page = client.get(response.url).content.decode()
    assert "Every country of the region, ranked by risk" in page and "Country B" in page and "missing for the quarter" in page
    client.post(reverse("reviews:agenda_add", args=[meeting.pk]), {"country": country_b.pk, "reason": "No scan for two quarters", "lock_version": 0})
    client.post(reverse("reviews:agenda_publish", args=[meeting.pk]), {"lock_version": 1})
    meeting.refresh_from_db()
    assert meeting.state == "published"
    item = meeting.items.get(country=country_a)
    url = reverse("reviews:item_record", args=[meeting.pk, item.pk])
    refused = client.post(url, {f"item-{item.pk}-lock_version": 0, f"item-{item.pk}-decision": "escalate",
                                f"item-{item.pk}-summary": "Long discussion kept"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Say why the case goes to the Senior Action Group." in html and "Long discussion kept" in html
    client.post(url, {f"item-{item.pk}-lock_version": 0, f"item-{item.pk}-decision": "escalate",
                      f"item-{item.pk}-decision_reason": "Militias arming", f"item-{item.pk}-summary": "s"})
    assert AgendaItem.objects.get(pk=item.pk).decision == "escalate"
    assert "awaiting the SAG" in client.get(reverse("home")).content.decode()  # on the chair's attention list


def test_a_sag_member_finds_the_escalated_case_with_its_record(login, meeting, chair_a, sag):
    _publish(meeting, chair_a)
    item = meeting.items.get()
    services.item_record(item=item, actor=chair_a, lock_version=0, summary="s", agreed_tier="", agreed_tier_reason="",
                         decision="escalate", decision_reason="Imminent risk", dissent="")
    client = login(sag)
    assert "Imminent risk" in client.get(reverse("reviews:sag_candidates")).content.decode()
    client.post(reverse("reviews:meeting_create"), {"kind": "sag", "date": "2026-10-02", "members": [sag.pk]})
    sag_meeting = Meeting.objects.sag().get()
    client.post(reverse("reviews:sag_take", args=[sag_meeting.pk]), {"item": item.pk, "lock_version": 0})
    page = client.get(reverse("reviews:meeting_detail", args=[sag_meeting.pk])).content.decode()
    assert "Country A" in page and "Imminent risk" in page and "Record of" in page


def test_a_chair_edits_only_their_regions_reviews(login, meeting, chair_b, sag, eosg, outsider):
    url = reverse("reviews:meeting_detail", args=[meeting.pk])
    for user in (chair_b, sag, outsider):  # an agenda in preparation is the region's own business
        assert login(user).get(url).status_code == 404
    assert login(eosg).get(url).status_code == 200
    _publish(meeting, meeting.chair)
    item = meeting.items.get()
    client = login(sag)
    assert client.get(reverse("reviews:meeting_detail", args=[meeting.pk])).status_code == 200
    assert client.post(reverse("reviews:item_record", args=[meeting.pk, item.pk]), {}).status_code == 403
    assert client.post(reverse("reviews:agenda_publish", args=[meeting.pk]), {}).status_code == 403
    # Another region's chair does not even read it, unless CHAIRS_READ_OTHER_REGIONS allows it (then read-only).
    assert login(chair_b).get(url).status_code == 404


def test_chairs_read_other_regions_reviews_only_where_allowed(login, meeting, chair_b, settings):
    _publish(meeting, meeting.chair)
    item = meeting.items.get()
    client = login(chair_b)
    settings.CHAIRS_READ_OTHER_REGIONS = True
    page = client.get(reverse("reviews:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200 and item.country.name in page.content.decode()
    assert client.post(reverse("reviews:item_record", args=[meeting.pk, item.pk]), {}).status_code == 403
    settings.CHAIRS_READ_OTHER_REGIONS = False
    assert client.get(reverse("reviews:meeting_detail", args=[meeting.pk])).status_code == 404


def test_officers_read_decisions_about_their_own_countries_only(login, meeting, chair_a, officer_a, officer_b, country_b):
    services.agenda_add(actor=chair_a, meeting=meeting, country=country_b, reason="r", lock_version=meeting.lock_version)
    _publish(meeting, chair_a)
    html_a = login(officer_a).get(reverse("reviews:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Country A" in html_a and "Country B" not in html_a and "as the meeting saw it" not in html_a
    pack = login(officer_a).get(reverse("reviews:meeting_print", args=[meeting.pk])).content.decode()
    assert "Country B" not in pack


def test_the_pack_leaves_out_evidence(login, meeting, chair_a, sag):
    _publish(meeting, chair_a)
    for user in (chair_a, sag):
        pack = login(user).get(reverse("reviews:meeting_print", args=[meeting.pk])).content.decode()
        assert "Country A" in pack and "Restricted source" not in pack


def _agenda_queries(client, meeting) -> list[int]:
    counts = []
    for name in ("reviews:meeting_detail", "reviews:meeting_print", "reviews:meeting_list", "home"):
        args = [meeting.pk] if name.startswith("reviews:meeting_") and name != "reviews:meeting_list" else []
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name, args=args)).status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts


def _region_with_history(region, officer, countries, scans):
    members = [CountryFactory(region=region) for _ in range(countries)]
    bulk_history(members, quarters_before(dt.date(2026, 10, 15), scans), officer, lambda c, i: (c.pk + i) % 4)
    return members


@pytest.mark.parametrize("published", [False, True])
def test_agenda_pages_cost_the_same_for_5_countries_and_50(login, region_a, region_b, officer_a, chair_a, chair_b, published):
    _region_with_history(region_a, officer_a, 5, 4)
    _region_with_history(region_b, officer_a, 50, 40)
    counts = []
    for region, chair in ((region_a, chair_a), (region_b, chair_b)):
        meeting = services.rqr_create(actor=chair, region=region, quarter=Q3, date=dt.date(2026, 9, 25), chair=chair)
        assert meeting.items.count() > 0
        if published:
            _publish(meeting, chair)
        counts.append(_agenda_queries(login(chair), meeting))
    assert counts[0] == counts[1]
    assert counts[0] == (AGENDA_PUBLISHED_QUERIES if published else AGENDA_PREPARATION_QUERIES)


# Measured: [agenda page, print pack, meeting list, chair's home]. The agenda page's one query for the
# external structural risk shown beside the scores (reviews.selectors.external_risk_by_country) is counted.
# In preparation the live ranking reads the open commitments to keep monitoring (one query); the chair's
# home lists the open warnings and the open commitments (one query each).
# The live Framework of Analysis line of each card costs three on the agenda (the ranked revisions' ratings,
# the factors, the mapping) and four on the pack (which first finds the latest revisions); a published agenda
# reads it frozen, at no query. The region's map costs one (the countries' codes), live or frozen.
AGENDA_PREPARATION_QUERIES = [16, 12, 8, 14]  # with the badge and the region's open warnings (and their deferrals)
AGENDA_PUBLISHED_QUERIES = [9, 8, 8, 14]
