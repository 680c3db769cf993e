"""The review steps that began as page forms, now API routes under the same rules: opening an RQR
or a SAG meeting, the SAG taking a case, flagging an alert for the SAG. Each as the one who may,
as every other persona (refused with the right status, nothing written), with bad input."""

import datetime as dt

import pytest

from hruf.models import AuditEvent, Entity, Notification
from reviews import services
from reviews.models import AgendaItem, Meeting
from scans.models import Alert
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")
DAY = dt.date(2026, 9, 25)
MEETINGS = "/api/v1/meetings/"
PERSONAS = ["officer_a", "officer_b", "chair_a", "chair_b", "sag", "eosg", "owner", "outsider"]


def _audited(actor, action: str, obj) -> bool:
    return AuditEvent.objects.filter(
        actor=actor, action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).exists()


@pytest.fixture
def ohchr(db):
    return Entity.objects.get_or_create(code="OHCHR", defaults={"name": "OHCHR"})[0]


@pytest.fixture
def severe_a(country_a, officer_a):
    """Country A's Q3 scan is severe: the app proposes it for region A's review."""
    return file_scan(country_a, officer_a, Q3, rating=3, evidence="Restricted source", restricted=True)


def _rqr(region, /, **changes) -> dict:
    return {"kind": "rqr", "region": region.pk, "quarter": "2026-Q3", "date": "2026-09-25"} | changes


# --- opening an RQR ------------------------------------------------------------------------

# Only a chair opens a review, only for their own region; a chair elsewhere may open reviews,
# so their choice of region A is bad input (as on the page), not a refusal.
OPEN_RQR = dict(officer_a=403, officer_b=403, chair_a=201, chair_b=400, sag=403, eosg=403, owner=403, outsider=403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_regions_chair_open_its_review(request, api, region_a, persona):
    response = api(request.getfixturevalue(persona)).post(MEETINGS, _rqr(region_a), format="json")
    assert response.status_code == OPEN_RQR[persona], response.content
    assert Meeting.objects.count() == (1 if OPEN_RQR[persona] == 201 else 0)


def test_the_chair_opens_a_review_with_the_proposed_countries(api, severe_a, region_a, chair_a, ohchr):
    response = api(chair_a).post(MEETINGS, _rqr(region_a, entities=[ohchr.pk]), format="json")
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get()
    assert response["Location"] == f"http://testserver{MEETINGS}{meeting.pk}/"
    body = response.json()
    assert (body["id"], body["kind"], body["region"], body["quarter"], body["date"]) == (meeting.pk, "rqr", region_a.pk, "2026-Q3", "2026-09-25")
    assert (body["chair"], body["state"], body["lock_version"]) == (chair_a.pk, "preparation", 0)
    assert list(meeting.entities.all()) == [ohchr]
    assert [i.country.name for i in meeting.items.all()] == ["Country A"]  # proposed, with its reasons
    assert _audited(chair_a, "create", meeting)
    assert api(chair_a).get(response["Location"]).json() == body


def test_it_refuses_a_second_review_of_the_quarter_with_409(api, assert_error, region_a, chair_a):
    client = api(chair_a)
    assert client.post(MEETINGS, _rqr(region_a), format="json").status_code == 201
    error = assert_error(client.post(MEETINGS, _rqr(region_a, date="2026-09-30"), format="json"), 409)
    assert "already has a review for 2026-Q3" in error["message"]
    assert Meeting.objects.get().date == DAY


@pytest.mark.parametrize("changes,field", [
    ({"kind": None}, "kind"),
    ({"kind": "council"}, "kind"),
    ({"quarter": "2026-07"}, "quarter"),
    ({"quarter": "Q3 of 2026"}, "quarter"),
    ({"quarter": "9999-Q4"}, "quarter"),
    ({"date": "next Tuesday"}, "date"),
    ({"region": 999999}, "region"),
    ({"region": 2**70}, "region"),
    ({"region": "A"}, "region"),
    ({"entities": [999999]}, "entities"),
    ({"entities": "OHCHR"}, "entities"),
    ({"chair": 1}, "chair"),  # the chair is whoever opens the review, as on the page
    ({"members": []}, "members"),
])
def test_it_refuses_a_bad_review_and_writes_nothing(api, assert_error, region_a, chair_a, changes, field):
    body = {k: v for k, v in _rqr(region_a, **changes).items() if v is not None}
    assert_error(api(chair_a).post(MEETINGS, body, format="json"), 400, fields=(field,))
    assert not Meeting.objects.exists() and not AuditEvent.objects.filter(object_type="reviews.meeting").exists()


def test_it_answers_a_region_out_of_the_chairs_hands_like_one_that_does_not_exist(api, assert_error, region_a, region_b, chair_b):
    client = api(chair_b)
    other = assert_error(client.post(MEETINGS, _rqr(region_a), format="json"), 400, fields=("region",))
    missing = assert_error(client.post(MEETINGS, _rqr(region_a, region=999999), format="json"), 400, fields=("region",))
    assert other["fields"]["region"][0] == missing["fields"]["region"][0].replace("999999", str(region_a.pk))
    assert client.post(MEETINGS, _rqr(region_b), format="json").status_code == 201


# --- opening a SAG meeting ---------------------------------------------------------------

OPEN_SAG = dict(officer_a=403, officer_b=403, chair_a=403, chair_b=403, sag=201, eosg=201, owner=403, outsider=403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_sag_members_and_eosg_open_a_sag_meeting(request, api, persona):
    user = request.getfixturevalue(persona)
    response = api(user).post(MEETINGS, {"kind": "sag", "date": "2026-10-02"}, format="json")
    assert response.status_code == OPEN_SAG[persona], response.content
    assert Meeting.objects.count() == (1 if OPEN_SAG[persona] == 201 else 0)
    if OPEN_SAG[persona] == 201:
        meeting = Meeting.objects.get()
        assert response["Location"] == f"http://testserver{MEETINGS}{meeting.pk}/"
        assert (response.json()["kind"], response.json()["region"], response.json()["chair"]) == ("sag", None, None)
        assert _audited(user, "create", meeting)


def test_sag_members_open_a_meeting_with_its_members(api, assert_error, sag, chair_a):
    client = api(sag)
    assert_error(client.post(MEETINGS, {"kind": "sag", "date": "2026-10-02", "members": [chair_a.pk]}, format="json"),
                 400, fields=("members",))
    assert_error(client.post(MEETINGS, {"kind": "sag", "date": "2026-10-02", "region": 1}, format="json"), 400, fields=("region",))
    assert_error(client.post(MEETINGS, {"kind": "sag"}, format="json"), 400, fields=("date",))
    assert not Meeting.objects.exists()
    response = client.post(MEETINGS, {"kind": "sag", "date": "2026-10-02", "members": [sag.pk, sag.pk]}, format="json")
    assert response.status_code == 201
    assert list(Meeting.objects.get().members.all()) == [sag]


def test_it_refuses_a_chair_opening_a_sag_meeting_and_sag_opening_a_review(api, assert_error, region_a, chair_a, sag):
    assert_error(api(chair_a).post(MEETINGS, {"kind": "sag", "date": "2026-10-02"}, format="json"), 403)
    assert_error(api(sag).post(MEETINGS, _rqr(region_a), format="json"), 403)
    assert not Meeting.objects.exists()


def test_it_answers_an_anonymous_opening_with_401(api, assert_error, region_a):
    assert assert_error(api().post(MEETINGS, _rqr(region_a), format="json"), 401)["code"] == "not_authenticated"


# --- the SAG takes a case -------------------------------------------------------------------


@pytest.fixture
def escalated(severe_a, region_a, chair_a):
    """Region A's published review escalated Country A to the SAG."""
    rqr = services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=DAY, chair=chair_a)
    services.agenda_publish(meeting=rqr, actor=chair_a, lock_version=rqr.lock_version)
    item = rqr.items.get()
    return services.item_record(item=item, actor=chair_a, lock_version=0, summary="s", agreed_tier="", agreed_tier_reason="",
                                decision="escalate", decision_reason="Militias arming", dissent="")


@pytest.fixture
def flagged(country_a, officer_a, chair_a):
    alert = Alert.objects.create(country=country_a, title="Attack", location="North", severity="severe",
                                 description="d", evidence="Names", raised_by=officer_a)
    return services.alert_flag_for_sag(alert=alert, actor=chair_a, reason="Imminent threat")


@pytest.fixture
def sag_meeting(sag):
    return services.sag_create(actor=sag, date=dt.date(2026, 10, 2), members=[sag])


def _cases(meeting) -> str:
    return f"{MEETINGS}{meeting.pk}/sag-cases/"


# A SAG meeting in preparation is SAG's and EOSG's business only: everyone else may not know it exists.
TAKE = dict(officer_a=404, officer_b=404, chair_a=404, chair_b=404, sag=201, eosg=201, owner=404, outsider=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_sag_members_and_eosg_take_a_case(request, api, escalated, sag_meeting, persona):
    user = request.getfixturevalue(persona)
    response = api(user).post(_cases(sag_meeting), {"source_item": escalated.pk, "lock_version": 0}, format="json")
    assert response.status_code == TAKE[persona], response.content
    assert sag_meeting.items.count() == (1 if TAKE[persona] == 201 else 0)
    if TAKE[persona] == 201:
        assert _audited(user, "create", sag_meeting.items.get())


def test_it_answers_403_to_a_chair_who_reads_a_published_sag_meeting(api, assert_error, escalated, sag_meeting, sag, chair_a, country_c):
    services.agenda_add(actor=sag, meeting=sag_meeting, country=country_c, reason="Flagged", lock_version=0)
    services.agenda_publish(meeting=sag_meeting, actor=sag, lock_version=1)
    assert api(chair_a).get(f"{MEETINGS}{sag_meeting.pk}/").status_code == 200
    assert_error(api(chair_a).post(_cases(sag_meeting), {"source_item": escalated.pk, "lock_version": 2}, format="json"), 403)
    assert not sag_meeting.items.filter(source_item=escalated).exists()


def test_the_sag_takes_an_escalated_case_then_an_alert_about_the_same_country(api, escalated, flagged, sag_meeting, sag):
    client = api(sag)
    taken = client.post(_cases(sag_meeting), {"source_item": escalated.pk, "lock_version": 0}, format="json")
    assert taken.status_code == 201, taken.content
    item = sag_meeting.items.get()
    assert taken["Location"] == f"http://testserver{MEETINGS}{sag_meeting.pk}/items/{item.pk}/"
    body = taken.json()
    assert (body["id"], body["country_name"], body["source_item"], body["included"]) == (item.pk, "Country A", escalated.pk, True)
    assert body["proposal_reasons"] == [f"Escalated by {escalated.meeting}."]
    assert client.get(taken["Location"]).json() == body
    # A second case of the same country is an item of its own, keeping its link.
    also = client.post(_cases(sag_meeting), {"source_alert": flagged.pk, "lock_version": 1}, format="json")
    assert also.status_code == 201, also.content
    second = sag_meeting.items.exclude(pk=item.pk).get()
    assert (also.json()["id"], also.json()["source_alert"], also.json()["source_item"]) == (second.pk, flagged.pk, None)
    assert also.json()["proposal_reasons"] == ["Urgent alert: Attack"]
    sag_meeting.refresh_from_db()
    assert sag_meeting.lock_version == 2 and _audited(sag, "create", second)


def test_it_refuses_a_stale_take_and_a_case_already_taken_with_409(api, assert_error, escalated, sag_meeting, sag, eosg):
    stale = assert_error(api(sag).post(_cases(sag_meeting), {"source_item": escalated.pk, "lock_version": 3}, format="json"), 409)
    assert stale["code"] == "conflict"
    assert not sag_meeting.items.exists()
    assert api(sag).post(_cases(sag_meeting), {"source_item": escalated.pk, "lock_version": 0}, format="json").status_code == 201
    other = services.sag_create(actor=eosg, date=dt.date(2026, 10, 9))
    again = assert_error(api(eosg).post(_cases(other), {"source_item": escalated.pk, "lock_version": 0}, format="json"), 409)
    assert "already on a Senior Action Group agenda" in again["message"]
    assert not other.items.exists()


@pytest.mark.parametrize("body,field", [
    ({}, "lock_version"),
    ({"lock_version": 0}, "non_field_errors"),
    ({"lock_version": 0, "source_item": "{item}", "source_alert": "{alert}"}, "non_field_errors"),
    ({"lock_version": 0, "source_item": "first"}, "source_item"),
    ({"lock_version": 0, "source_alert": 0}, "source_alert"),
    ({"lock_version": 0, "source_alert": 2**70}, "source_alert"),
    ({"lock_version": 0, "source_item": "{item}", "reason": "urgent"}, "reason"),
])
def test_it_refuses_a_bad_take_and_writes_nothing(api, assert_error, escalated, flagged, sag_meeting, sag, body, field):
    body = {k: int(v.format(item=escalated.pk, alert=flagged.pk)) if isinstance(v, str) and "{" in v else v for k, v in body.items()}
    assert_error(api(sag).post(_cases(sag_meeting), body, format="json"), 400, fields=(field,))
    sag_meeting.refresh_from_db()
    assert not sag_meeting.items.exists() and sag_meeting.lock_version == 0


def test_it_answers_404_for_a_source_that_is_not_a_sag_case_as_the_page_does(api, assert_error, escalated, country_a, officer_a, sag_meeting, sag):
    client = api(sag)
    unflagged = Alert.objects.create(country=country_a, title="Quiet", location="South", severity="serious",
                                     description="d", raised_by=officer_a)
    missing = assert_error(client.post(_cases(sag_meeting), {"source_item": 999999, "lock_version": 0}, format="json"), 404)
    for body in ({"source_alert": unflagged.pk}, {"source_alert": 999999}):
        assert assert_error(client.post(_cases(sag_meeting), body | {"lock_version": 0}, format="json"), 404) == missing
    services.item_record(item=escalated, actor=escalated.meeting.chair, lock_version=escalated.lock_version, summary="s",
                         agreed_tier="", agreed_tier_reason="", decision="monitor", decision_reason="", dissent="")
    assert assert_error(client.post(_cases(sag_meeting), {"source_item": escalated.pk, "lock_version": 0}, format="json"), 404) == missing
    assert not sag_meeting.items.exists()


def test_it_refuses_to_take_a_case_onto_a_review(api, assert_error, escalated, region_a, chair_a):
    rqr = services.rqr_create(actor=chair_a, region=region_a, quarter=Q3.next(), date=DAY, chair=chair_a)
    error = assert_error(api(chair_a).post(_cases(rqr), {"source_item": escalated.pk, "lock_version": rqr.lock_version}, format="json"), 400)
    assert "Only a Senior Action Group meeting" in error["fields"]["non_field_errors"][0]
    assert not rqr.items.filter(source_item=escalated).exists()


# --- flagging an alert for the SAG --------------------------------------------------------


@pytest.fixture
def alert(country_a, officer_a):
    return Alert.objects.create(country=country_a, title="Attack", location="North", severity="severe",
                                description="d", evidence="Names of witnesses", evidence_restricted=True, raised_by=officer_a)


def _flag(alert) -> str:
    return f"/api/v1/alerts/{alert.pk}/flag-for-sag/"


# The region's chairs and EOSG flag; the country's officers and SAG read the alert but may not.
FLAG = dict(officer_a=403, officer_b=404, chair_a=200, chair_b=404, sag=403, eosg=200, owner=404, outsider=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_regions_chairs_and_eosg_flag_an_alert(request, api, alert, persona):
    user = request.getfixturevalue(persona)
    response = api(user).post(_flag(alert), {"reason": "Imminent threat"}, format="json")
    assert response.status_code == FLAG[persona], response.content
    alert.refresh_from_db()
    assert (alert.sag_flagged_at is not None) == (FLAG[persona] == 200)
    assert _audited(user, "update", alert) == (FLAG[persona] == 200)


def test_the_chair_flags_an_alert_and_the_sag_is_told(api, alert, chair_a, sag):
    response = api(chair_a).post(_flag(alert), {"reason": "Imminent threat"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body | {"sag_flagged_at": None} == {
        "id": alert.pk, "country": alert.country.iso3, "title": "Attack", "sag_flagged_at": None,
        "sag_flagged_by": chair_a.pk, "sag_flagged_by_name": str(chair_a), "sag_flag_reason": "Imminent threat",
    }
    assert body["sag_flagged_at"]
    assert "Names of witnesses" not in response.content.decode()  # the flag, not the evidence
    assert Notification.objects.filter(recipient=sag, code="reviews.alert_flagged").count() == 1
    assert api(sag).get("/api/v1/alerts/?flagged_for_sag=true").json()["results"][0]["id"] == alert.pk


def test_it_refuses_a_second_flag_with_409_and_keeps_the_first(api, assert_error, alert, chair_a, eosg):
    assert api(chair_a).post(_flag(alert), {"reason": "First"}, format="json").status_code == 200
    error = assert_error(api(eosg).post(_flag(alert), {"reason": "Second"}, format="json"), 409)
    assert "already flagged" in error["message"]
    alert.refresh_from_db()
    assert (alert.sag_flag_reason, alert.sag_flagged_by) == ("First", chair_a)


@pytest.mark.parametrize("body,field", [
    ({}, "reason"),
    ({"reason": "   "}, "reason"),
    ({"reason": ["Imminent"]}, "reason"),
    ({"reason": "x" * 5001}, "reason"),
    ({"reason": "Imminent", "urgent": True}, "urgent"),
])
def test_it_refuses_a_bad_flag_and_writes_nothing(api, assert_error, alert, chair_a, body, field):
    assert_error(api(chair_a).post(_flag(alert), body, format="json"), 400, fields=(field,))
    alert.refresh_from_db()
    assert alert.sag_flagged_at is None and not Notification.objects.filter(code="reviews.alert_flagged").exists()


def test_it_answers_an_alert_out_of_scope_like_one_that_does_not_exist(api, assert_error, alert, chair_b):
    hidden = assert_error(api(chair_b).post(_flag(alert), {"reason": "r"}, format="json"), 404)
    assert hidden == assert_error(api(chair_b).post("/api/v1/alerts/999999/flag-for-sag/", {"reason": "r"}, format="json"), 404)
    assert assert_error(api().post(_flag(alert), {"reason": "r"}, format="json"), 401)["code"] == "not_authenticated"
    assert not AgendaItem.objects.exists() and Alert.objects.get(pk=alert.pk).sag_flagged_at is None
