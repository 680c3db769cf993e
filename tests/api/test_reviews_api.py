"""The reviews API: meetings, agenda items and records; who reads and who writes what, refusals
that write nothing, stale saves, and query counts that do not grow with the data."""

import datetime as dt

import pytest

from reviews import services
from reviews.models import AgendaItem, Meeting
from scans.periods import Period

from ..factories import CountryFactory, file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")
MEETINGS = "/api/v1/meetings/"
PERSONAS = ["officer_a", "officer_b", "chair_a", "chair_b", "sag", "eosg", "owner", "outsider"]


def _url(meeting, *rest) -> str:
    return "/".join([MEETINGS.rstrip("/"), str(meeting.pk), *map(str, rest)]) + "/"


def _items_url(meeting, *rest) -> str:
    return _url(meeting, "items", *rest)


@pytest.fixture
def meeting(region_a, chair_a, country_a, officer_a):
    """Region A's Q3 review, in preparation, with Country A proposed (a severe scan)."""
    file_scan(country_a, officer_a, Q3, rating=3, evidence="Restricted source", restricted=True)
    return services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 9, 25), chair=chair_a)


@pytest.fixture
def published(meeting, chair_a):
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    return meeting


@pytest.fixture
def item(published):
    return published.items.get()


def _record(**changes) -> dict:
    body = {"lock_version": 0, "summary": "Long discussion", "agreed_tier": "", "agreed_tier_reason": "",
            "decision": "monitor", "decision_reason": "", "dissent": ""}
    return body | changes


# --- reading: who sees which meeting -------------------------------------------------------

# In preparation a review is its region's chairs' (and EOSG's) business; once published, every
# chair and SAG member reads it, and officers read it when it decides about one of their countries.
READ_IN_PREPARATION = dict(officer_a=404, officer_b=404, chair_a=200, chair_b=404, sag=404, eosg=200, owner=404, outsider=404)
READ_PUBLISHED = dict(officer_a=200, officer_b=404, chair_a=200, chair_b=404, sag=200, eosg=200, owner=404, outsider=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_reads_a_meeting_only_within_scope(request, api, meeting, chair_a, persona):
    client = api(request.getfixturevalue(persona))
    assert client.get(_url(meeting)).status_code == READ_IN_PREPARATION[persona]
    listed = {m["id"] for m in client.get(MEETINGS).json()["results"]}
    assert (meeting.pk in listed) == (READ_IN_PREPARATION[persona] == 200)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    assert client.get(_url(meeting)).status_code == READ_PUBLISHED[persona]
    assert client.get(_items_url(meeting)).status_code == READ_PUBLISHED[persona]


def test_it_answers_a_meeting_out_of_scope_like_one_that_does_not_exist(api, assert_error, meeting, chair_b):
    client = api(chair_b)
    hidden, missing = assert_error(client.get(_url(meeting)), 404), assert_error(client.get(f"{MEETINGS}999999/"), 404)
    assert hidden == missing
    assert assert_error(client.get(_items_url(meeting)), 404) == assert_error(client.get(f"{MEETINGS}999999/items/"), 404)


@pytest.mark.parametrize("method,path,body", [
    ("get", "", None), ("get", "items", None), ("post", "publish", {"lock_version": 0}),
    ("put", "items/{item}/record", _record()), ("post", "items", {"country": 1, "lock_version": 0}),
])
def test_it_answers_anonymous_calls_with_401_in_the_error_format(api, assert_error, item, method, path, body):
    url = _url(item.meeting, *[p.format(item=item.pk) for p in path.split("/") if p])
    assert assert_error(getattr(api(), method)(url, body, format="json"), 401)["code"] == "not_authenticated"


def test_it_shows_an_officer_only_the_items_about_their_countries(api, meeting, chair_a, country_b, officer_a):
    b = services.agenda_add(actor=chair_a, meeting=meeting, country=country_b, reason="No scan", lock_version=meeting.lock_version)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    officer = api(officer_a)
    assert [i["country_name"] for i in officer.get(_items_url(meeting)).json()["results"]] == ["Country A"]
    assert officer.get(_items_url(meeting, b.pk)).status_code == 404
    chair = api(chair_a).get(_items_url(meeting)).json()["results"]
    assert [i["country_name"] for i in chair] == ["Country A", "Country B"]
    assert chair[0]["snap_tier"] == "very_high" and chair[0]["snap_drivers"][0]["rating"] == 3
    assert "Restricted source" not in str(chair)  # evidence never travels with the agenda


def test_it_filters_meetings_by_kind_region_quarter_and_state(api, assert_error, published, eosg, region_b):
    sag_meeting = services.sag_create(actor=eosg, date=dt.date(2026, 10, 2))
    client = api(eosg)

    def ids(**query):
        response = client.get(MEETINGS, query)
        assert response.status_code == 200, response.content
        return {m["id"] for m in response.json()["results"]}

    assert ids() == {published.pk, sag_meeting.pk}
    assert ids(kind="sag") == {sag_meeting.pk}
    assert ids(region=published.region_id) == {published.pk} and ids(region=region_b.pk) == set()
    assert ids(quarter="2026-Q3") == {published.pk} and ids(quarter="2026-Q4") == set()
    assert ids(state="preparation") == {sag_meeting.pk}
    assert_error(client.get(MEETINGS, {"quarter": "Q3 of 2026"}), 400, fields=("quarter",))
    # The message repeats what was typed: a "%" in it is text, not a format (it was a 500).
    error = assert_error(client.get(MEETINGS, {"quarter": "Scan of %(period)s."}), 400, fields=("quarter",))
    assert error["fields"]["quarter"][0].startswith("“SCAN OF %(PERIOD)S.” is not a period")
    assert_error(client.get(MEETINGS, {"kind": "council"}), 400, fields=("kind",))
    assert_error(client.get(MEETINGS, {"region": 999999}), 400, fields=("region",))


def test_it_gives_the_frozen_region_table_only_to_whole_meeting_readers(api, assert_error, published, sag, officer_a):
    rows = api(sag).get(_url(published, "snapshot"))
    assert rows.status_code == 200
    assert [r["name"] for r in rows.json()] == ["Country A"] and rows.json()[0]["tier"] == "very_high"
    assert_error(api(officer_a).get(_url(published, "snapshot")), 403)


# --- building and publishing the agenda --------------------------------------------------

PUBLISH = dict(officer_a=404, officer_b=404, chair_a=200, chair_b=404, sag=404, eosg=403, owner=404, outsider=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_regions_chair_publish(request, api, meeting, persona):
    response = api(request.getfixturevalue(persona)).post(_url(meeting, "publish"), {"lock_version": 0}, format="json")
    assert response.status_code == PUBLISH[persona]
    meeting.refresh_from_db()
    assert meeting.state == ("published" if PUBLISH[persona] == 200 else "preparation")


def test_it_answers_403_to_a_reader_who_may_not_edit_a_published_meeting(
    api, assert_error, published, chair_b, sag, officer_a
):
    for user in (sag, officer_a):
        assert_error(api(user).post(_url(published, "advance"), {"lock_version": published.lock_version}, format="json"), 403)
    # Another region's chair does not read it at all (CHAIRS_READ_OTHER_REGIONS off).
    assert_error(api(chair_b).post(_url(published, "advance"), {"lock_version": published.lock_version}, format="json"), 404)
    published.refresh_from_db()
    assert published.state == "published"


def test_it_publishes_freezes_and_refuses_a_stale_or_second_publication(api, assert_error, meeting, chair_a):
    client = api(chair_a)
    assert assert_error(client.post(_url(meeting, "publish"), {"lock_version": 7}, format="json"), 409)["code"] == "conflict"
    meeting.refresh_from_db()
    assert meeting.state == "preparation" and meeting.published_at is None
    response = client.post(_url(meeting, "publish"), {"lock_version": 0}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "published" and response.json()["lock_version"] == 1
    assert AgendaItem.objects.get(meeting=meeting).snap_tier == "very_high"
    again = assert_error(client.post(_url(meeting, "publish"), {"lock_version": 1}, format="json"), 400)
    assert "frozen" in again["fields"]["non_field_errors"][0]


@pytest.mark.parametrize("body,field", [
    ({}, "lock_version"),
    ({"lock_version": "one"}, "lock_version"),
    ({"lock_version": -1}, "lock_version"),
    ({"lock_version": 0, "publish_now": True}, "publish_now"),
])
def test_it_refuses_a_bad_publication_body_and_changes_nothing(api, assert_error, meeting, chair_a, body, field):
    assert_error(api(chair_a).post(_url(meeting, "publish"), body, format="json"), 400, fields=(field,))
    meeting.refresh_from_db()
    assert meeting.state == "preparation" and meeting.lock_version == 0


def test_it_refuses_malformed_json(api, assert_error, meeting, chair_a):
    response = api(chair_a).generic("POST", _url(meeting, "publish"), "{lock_version: 0", content_type="application/json")
    assert assert_error(response, 400)["code"] == "parse_error"


def test_the_chair_adds_orders_and_removes_agenda_items(api, assert_error, meeting, chair_a, country_a, country_b):
    client = api(chair_a)
    added = client.post(_items_url(meeting), {"country": country_b.pk, "reason": "Silent for two quarters", "lock_version": 0}, format="json")
    assert added.status_code == 201, added.content
    b = added.json()
    assert (b["country_name"], b["included"], b["chair_reason"], b["position"]) == ("Country B", True, "Silent for two quarters", 2)
    a = meeting.items.get(country=country_a)
    moved = client.post(_items_url(meeting, b["id"], "move"), {"direction": "up", "lock_version": 1}, format="json")
    assert moved.status_code == 200 and moved.json()["position"] == 1
    assert AgendaItem.objects.get(pk=a.pk).position == 2
    refused = assert_error(client.post(_items_url(meeting, a.pk, "remove"), {"lock_version": 2}, format="json"), 400)
    assert "say why" in refused["fields"]["non_field_errors"][0]
    removed = client.post(_items_url(meeting, a.pk, "remove"), {"reason": "Discussed last month", "lock_version": 2}, format="json")
    assert removed.status_code == 200 and removed.json()["included"] is False
    meeting.refresh_from_db()
    assert meeting.lock_version == 3


def test_it_refuses_bad_agenda_input_and_writes_nothing(api, assert_error, meeting, chair_a, country_b, country_c):
    client = api(chair_a)
    url = _items_url(meeting)
    outside = assert_error(client.post(url, {"country": country_c.pk, "lock_version": 0}, format="json"), 400, fields=("country",))
    missing = assert_error(client.post(url, {"country": 999999, "lock_version": 0}, format="json"), 400, fields=("country",))
    # A country out of the user's scope reads exactly like one that does not exist.
    assert outside["fields"]["country"][0] == missing["fields"]["country"][0].replace("999999", str(country_c.pk))
    assert_error(client.post(url, {"country": "B", "lock_version": 0}, format="json"), 400, fields=("country",))
    assert_error(client.post(url, {"country": country_b.pk, "lock_version": 0, "urgent": True}, format="json"), 400, fields=("urgent",))
    assert_error(client.post(url, {"country": country_b.pk, "lock_version": 5, "reason": "r"}, format="json"), 409)
    assert_error(client.post(_items_url(meeting, meeting.items.get().pk, "move"), {"direction": "left", "lock_version": 0}, format="json"), 400, fields=("direction",))
    assert list(meeting.items.values_list("country__name", flat=True)) == ["Country A"]
    meeting.refresh_from_db()
    assert meeting.lock_version == 0


def test_it_refuses_agenda_changes_to_readers_and_after_publication(api, assert_error, meeting, chair_a, eosg, country_b):
    body = {"country": country_b.pk, "reason": "r", "lock_version": 0}
    assert_error(api(eosg).post(_items_url(meeting), body, format="json"), 403)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=0)
    body["lock_version"] = 1
    refused = assert_error(api(chair_a).post(_items_url(meeting), body, format="json"), 400)
    assert "frozen" in refused["fields"]["non_field_errors"][0]
    assert meeting.items.count() == 1


def test_sag_members_build_and_publish_a_sag_agenda(api, sag, chair_a, country_c):
    sag_meeting = services.sag_create(actor=sag, date=dt.date(2026, 10, 2))
    client = api(sag)
    added = client.post(_items_url(sag_meeting), {"country": country_c.pk, "reason": "Flagged", "lock_version": 0}, format="json")
    assert added.status_code == 201, added.content
    assert api(chair_a).get(_url(sag_meeting)).status_code == 404  # not yet published
    assert client.post(_url(sag_meeting, "publish"), {"lock_version": 1}, format="json").status_code == 200
    assert api(chair_a).get(_url(sag_meeting)).status_code == 200
    assert api(chair_a).post(_url(sag_meeting, "advance"), {"lock_version": 2}, format="json").status_code == 403


# --- the record ----------------------------------------------------------------------------

RECORD = dict(officer_a=403, officer_b=404, chair_a=200, chair_b=404, sag=403, eosg=403, owner=404, outsider=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_regions_chair_write_the_record(request, api, item, persona):
    client = api(request.getfixturevalue(persona))
    url = _items_url(item.meeting, item.pk, "record")
    assert client.get(url).status_code == READ_PUBLISHED[persona]
    assert client.put(url, _record(), format="json").status_code == RECORD[persona]
    item.refresh_from_db()
    assert item.decision == ("monitor" if RECORD[persona] == 200 else "")


def test_the_chair_records_an_escalation_and_a_stale_save_is_refused(api, assert_error, item, chair_a, officer_a):
    client = api(chair_a)
    url = _items_url(item.meeting, item.pk, "record")
    refused = assert_error(client.put(url, _record(decision="escalate"), format="json"), 400, fields=("decision_reason",))
    assert "Senior Action Group" in refused["fields"]["decision_reason"][0]
    saved = client.put(url, _record(decision="escalate", decision_reason="Militias arming"), format="json")
    assert saved.status_code == 200
    assert saved.json() | {"recorded_at": None} == {
        "lock_version": 1, "summary": "Long discussion", "agreed_tier": "", "agreed_tier_reason": "", "decision": "escalate",
        "decision_reason": "Militias arming", "dissent": "", "recorded_by": chair_a.pk, "recorded_by_name": str(chair_a),
        "recorded_at": None,
    }
    # A second tab still holding lock_version 0 cannot overwrite the escalation.
    stale = assert_error(client.put(url, _record(decision="monitor", summary="Other tab"), format="json"), 409)
    assert stale["code"] == "conflict" and "nothing of yours was saved" in stale["message"]
    item.refresh_from_db()
    assert (item.decision, item.summary, item.lock_version) == ("escalate", "Long discussion", 1)
    assert api(officer_a).get(url).json()["decision_reason"] == "Militias arming"


@pytest.mark.parametrize("changes,field", [
    ({"lock_version": "zero"}, "lock_version"),
    ({"decision": "maybe"}, "decision"),
    ({"agreed_tier": "extreme"}, "agreed_tier"),
    ({"summary": ["a"]}, "summary"),
    ({"outcome": "monitor"}, "outcome"),
    ({"dissent": "x" * 4001}, "dissent"),
])
def test_it_refuses_a_malformed_record_and_writes_nothing(api, assert_error, item, chair_a, changes, field):
    response = api(chair_a).put(_items_url(item.meeting, item.pk, "record"), _record(**changes), format="json")
    assert_error(response, 400, fields=(field,))
    item.refresh_from_db()
    assert (item.decision, item.summary, item.lock_version) == ("", "", 0)


def test_it_refuses_a_record_before_publication(api, assert_error, meeting, chair_a):
    item = meeting.items.get()
    error = assert_error(api(chair_a).put(_items_url(meeting, item.pk, "record"), _record(), format="json"), 400)
    assert "once the agenda is published" in error["fields"]["non_field_errors"][0]


# --- query counts --------------------------------------------------------------------------


def test_it_lists_meetings_in_the_same_number_of_queries_whatever_the_data(api, published, chair_a, region_a, django_assert_num_queries):
    client = api(chair_a)
    with django_assert_num_queries(4) as small:  # session, user, roles, the page (by keyset: no count)
        assert len(client.get(MEETINGS).json()["results"]) == 1
    quarter = Q3
    for _ in range(30):
        quarter = quarter.previous()
        Meeting.objects.create(kind="rqr", region=region_a, quarter=quarter.code, date=quarter.start, chair=chair_a)
        Meeting.objects.create(kind="sag", date=quarter.start, chair=chair_a, state="published")
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(MEETINGS, {"page_size": 100}).json()["results"]) == 61


def test_it_lists_agenda_items_in_the_same_number_of_queries_whatever_the_data(api, meeting, chair_a, region_a, django_assert_num_queries):
    client = api(chair_a)
    url = _items_url(meeting)
    with django_assert_num_queries(6) as small:  # session, user, roles, meeting, count, page
        assert len(client.get(url).json()["results"]) == 1
    more = [CountryFactory(region=region_a) for _ in range(25)]
    AgendaItem.objects.bulk_create(AgendaItem(meeting=meeting, country=c, position=i + 2) for i, c in enumerate(more))
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    services.item_record(item=meeting.items.get(country__name="Country A"), actor=chair_a, lock_version=0, summary="s",
                         agreed_tier="", agreed_tier_reason="", decision="monitor", decision_reason="", dissent="")
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url).json()["results"]) == 26
