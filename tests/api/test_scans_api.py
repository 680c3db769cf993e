"""The scans API: the matrix, scans (read, start, save, submit, amend) and urgent alerts."""

import datetime as dt

import pytest
from django.utils import timezone

from hruf.models import Notification
from scans import services
from scans.models import Alert, MatrixVersion, Rating, Scan, ScanRevision
from scans.periods import current_period

from ..factories import CountryFactory, bulk_history, file_scan, quarters_before

SCANS = "/api/v1/scans/"
ALERTS = "/api/v1/alerts/"
PERSONAS = ["officer_a", "officer_b", "chair_a", "chair_b", "sag", "eosg", "owner", "outsider"]


@pytest.fixture
def world(matrix, country_a, country_b, country_c, officer_a, officer_b):
    """Country A: a submitted scan last period (restricted evidence) and this period's draft;
    an urgent alert with restricted evidence. Country C (other region): a submitted scan."""
    today = timezone.localdate()
    period = current_period(country_a, today)
    submitted = file_scan(country_a, officer_a, period.previous(), rating=2, restricted=True, evidence="Witness X")
    draft = services.scan_start(country=country_a, period=period, actor=officer_a, today=today)
    other = file_scan(country_c, _officer_of(country_c), period.previous(), rating=0)
    alert = services.alert_raise(
        country=country_a, actor=officer_a, title="Militia gathering", location="North", severity="severe",
        description="Seen at dawn.", evidence="Names of witnesses", evidence_restricted=True,
    )
    return {"submitted": submitted, "draft": draft, "other": other, "alert": alert, "period": period}


def _officer_of(country):
    from hruf.models import Role

    from ..factories import UserFactory, grant

    return grant(UserFactory(), Role.OFFICER, country=country)


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _draft_body(client, scan) -> dict:
    return client.get(f"{SCANS}{scan.pk}/").json()["draft"]


# --- the matrix ----------------------------------------------------------------------------


def test_it_serves_the_current_matrix_with_indicators_and_risk_factors(api, matrix, outsider):
    body = api(outsider).get("/api/v1/matrix/current/").json()
    assert len(body["indicators"]) == 10
    first = body["indicators"][0]
    assert first["code"] and first["question"] and first["risk_factors"][0]["number"]
    assert first["translations"]["fr"]["question"] and first["risk_factors"][0]["translations"]["ar"]["name"]
    assert api(outsider).get(f"/api/v1/matrix/{body['number']}/").json() == body
    assert [v["number"] for v in api(outsider).get("/api/v1/matrix/").json()["results"]] == [body["number"]]


def test_it_answers_404_when_no_matrix_is_published(api, assert_error, outsider):
    MatrixVersion.objects.update(published_at=None)
    assert_error(api(outsider).get("/api/v1/matrix/current/"), 404)


# --- reading scans: the permission matrix ----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("officer_a", {"submitted", "draft"}),
        ("officer_b", set()),
        ("chair_a", {"submitted"}),
        ("chair_b", {"other"}),
        ("sag", {"submitted", "other"}),
        ("eosg", {"submitted", "other"}),
        ("owner", set()),
        ("outsider", set()),
    ],
)
def test_it_lists_and_shows_only_the_scans_in_scope(request, api, assert_error, world, persona, visible):
    client = api(request.getfixturevalue(persona))
    scans = {k: world[k] for k in ("submitted", "draft", "other")}
    assert _ids(client.get(SCANS)) == {scans[k].pk for k in visible}
    for key, scan in scans.items():
        response = client.get(f"{SCANS}{scan.pk}/")
        if key in visible:
            assert response.json()["id"] == scan.pk
        else:
            assert_error(response, 404)


@pytest.mark.parametrize(("persona", "sees"), [("officer_a", True), ("chair_a", True), ("eosg", True), ("sag", False)])
def test_it_withholds_restricted_evidence_from_those_who_may_not_read_it(request, api, world, persona, sees):
    body = api(request.getfixturevalue(persona)).get(f"{SCANS}{world['submitted'].pk}/").json()
    ratings = body["submitted"]["ratings"]
    assert len(ratings) == 10
    assert all(r["evidence"] == ("Witness X" if sees else "") for r in ratings)
    assert all(r["evidence_withheld"] is (not sees) for r in ratings)
    alert = api(request.getfixturevalue(persona)).get(f"{ALERTS}{world['alert'].pk}/").json()
    assert alert["evidence"] == ("Names of witnesses" if sees else "")
    assert alert["evidence_withheld"] is (not sees)


def test_it_shows_the_draft_only_to_the_countrys_officers(api, world, officer_a, chair_a):
    scan = world["submitted"]
    services.scan_amend(scan=scan, actor=officer_a)
    mine = api(officer_a).get(f"{SCANS}{scan.pk}/").json()
    assert mine["draft"]["number"] == 2 and mine["can_file"] is True
    theirs = api(chair_a).get(f"{SCANS}{scan.pk}/").json()
    assert theirs["draft"] is None and theirs["can_file"] is False
    assert theirs["submitted"]["number"] == 1


def test_it_filters_scans_by_country_region_period_tier_and_status(api, world, eosg, officer_a, country_a, country_c):
    client = api(eosg)
    submitted, other, period = world["submitted"], world["other"], world["period"]
    assert _ids(client.get(SCANS, {"country": country_a.iso3.lower()})) == {submitted.pk}
    assert _ids(client.get(SCANS, {"region": country_c.region.code})) == {other.pk}
    assert _ids(client.get(SCANS, {"period": period.previous().code.lower()})) == {submitted.pk, other.pk}
    assert _ids(client.get(SCANS, {"period": period.code})) == set()
    assert _ids(client.get(SCANS, {"period_from": period.previous().code, "period_to": period.code})) == {submitted.pk, other.pk}
    assert _ids(client.get(SCANS, {"period_to": period.previous().previous().code})) == set()
    assert _ids(client.get(SCANS, {"tier": submitted.submitted_revision.tier})) == {submitted.pk}
    assert _ids(client.get(SCANS, {"tier": "low"})) == {other.pk}
    assert _ids(api(officer_a).get(SCANS, {"status": "draft"})) == {world["draft"].pk}
    assert _ids(api(officer_a).get(SCANS, {"status": "submitted"})) == {submitted.pk}


@pytest.mark.parametrize(("param", "value"), [("period", "2026-Q5"), ("tier", "extreme"), ("status", "gone"),
                                              ("period_from", "last year")])
def test_it_refuses_a_bad_filter_with_a_clear_message(api, assert_error, eosg, param, value):
    error = assert_error(api(eosg).get(SCANS, {param: value}), 400)
    assert error["fields"]


# --- starting a scan -----------------------------------------------------------------------------


def test_it_starts_a_draft_for_an_officer(api, world, officer_a, country_a):
    period = world["period"].previous().previous()
    response = api(officer_a).post(SCANS, {"country": country_a.iso3, "period": period.code.lower()}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["period"] == period.code and body["submitted"] is None
    assert body["draft"]["lock_version"] == 0 and len(body["draft"]["ratings"]) == 10
    # pre-filled from the last submitted scan
    assert {r["rating"] for r in body["draft"]["ratings"]} == {2}


def test_it_answers_403_to_someone_who_reads_the_country_but_does_not_file_for_it(api, assert_error, world, chair_a, eosg, country_a):
    for user in (chair_a, eosg):
        assert_error(api(user).post(SCANS, {"country": country_a.iso3, "period": "2020-Q1"}, format="json"), 403)
    assert not Scan.objects.filter(period="2020-Q1").exists()


@pytest.mark.parametrize("iso3", ["C", "ZZZ"])
def test_it_treats_a_country_out_of_scope_like_one_that_does_not_exist(api, assert_error, world, officer_a, country_c, iso3):
    code = country_c.iso3 if iso3 == "C" else iso3
    error = assert_error(api(officer_a).post(SCANS, {"country": code, "period": "2020-Q1"}, format="json"), 400, fields=("country",))
    assert error["fields"]["country"] == ["No country with this code."]


def test_it_answers_409_when_the_scan_of_the_period_exists(api, assert_error, world, officer_a, country_a):
    body = {"country": country_a.iso3, "period": world["period"].code}
    assert "already exists" in assert_error(api(officer_a).post(SCANS, body, format="json"), 409)["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"country": "Z00", "period": "2026-Q9"}, "period"),
        ({"country": "Z00", "period": "2999-Q1"}, "non_field_errors"),  # a future period
        ({"country": "Z00"}, "period"),
        ({"country": ["Z00"], "period": "2020-Q1"}, "country"),
        ({"country": "Z00", "period": "2020-Q1", "priority": "high"}, "priority"),
    ],
)
def test_it_refuses_bad_input_to_start_a_scan_and_writes_nothing(api, assert_error, world, officer_a, country_a, body, field):
    body = {k: (country_a.iso3 if v == "Z00" else v) for k, v in body.items()}
    before = Scan.objects.count()
    assert_error(api(officer_a).post(SCANS, body, format="json"), 400, fields=(field,))
    assert Scan.objects.count() == before


@pytest.mark.parametrize("raw", ['{"country": "Z00", ', "[1, 2]", '"text"', "null"])
def test_it_refuses_malformed_or_non_object_json(api, assert_error, world, officer_a, raw):
    before = Scan.objects.count()
    response = api(officer_a).post(SCANS, raw, content_type="application/json")
    assert_error(response, 400)
    assert Scan.objects.count() == before


def test_it_refuses_a_body_that_is_not_json(api, assert_error, world, officer_a, country_a):
    response = api(officer_a).post(SCANS, {"country": country_a.iso3, "period": "2020-Q1"})  # multipart form
    assert_error(response, 415)


# --- saving and submitting the draft ------------------------------------------------------------------


def test_it_saves_the_draft_with_compare_and_set_and_answers_409_to_a_stale_lock_version(api, assert_error, world, officer_a):
    client, scan = api(officer_a), world["draft"]
    draft = _draft_body(client, scan)
    first = draft["ratings"][0]
    response = client.patch(f"{SCANS}{scan.pk}/", {
        "lock_version": draft["lock_version"], "narrative": "Tense.",
        "ratings": [{"id": first["id"], "rating": 3, "evidence": "Seen."}],
    }, format="json")
    assert response.status_code == 200, response.content
    saved = response.json()["draft"]
    assert saved["lock_version"] == draft["lock_version"] + 1 and saved["narrative"] == "Tense."
    row = Rating.objects.get(pk=first["id"])
    assert (row.rating, row.evidence, row.trend) == (3, "Seen.", first["trend"])  # fields left out are kept

    stale = client.patch(f"{SCANS}{scan.pk}/", {
        "lock_version": draft["lock_version"], "narrative": "Overwrite?",
        "ratings": [{"id": first["id"], "rating": 0}],
    }, format="json")
    assert "saved elsewhere" in assert_error(stale, 409)["message"]
    revision = ScanRevision.objects.get(scan=scan)
    assert (revision.narrative, revision.lock_version) == ("Tense.", saved["lock_version"])
    assert Rating.objects.get(pk=first["id"]).rating == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ratings": [{"id": 999999999, "rating": 1}]}, "ratings"),
        ({"ratings": [{"id": "FIRST", "rating": 7}]}, "ratings"),
        ({"ratings": [{"id": "FIRST", "rating": "severe"}]}, "ratings"),
        ({"ratings": [{"id": "FIRST", "colour": "red"}]}, "ratings"),
        ({"ratings": [{"id": "FIRST"}, {"id": "FIRST"}]}, "ratings"),
        ({"ratings": {"id": "FIRST"}}, "ratings"),
        ({"narrative": {"text": "x"}}, "narrative"),
        ({"narrative": "x" * 20001}, "narrative"),
        ({"lock_version": "zero"}, "lock_version"),
        ({"lock_version": None}, "lock_version"),
        ({"lock_version": 2**40}, "lock_version"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_it_refuses_bad_draft_input_and_writes_nothing(api, assert_error, world, officer_a, change, field):
    client, scan = api(officer_a), world["draft"]
    draft = _draft_body(client, scan)
    first = draft["ratings"][0]["id"]
    body = {"lock_version": draft["lock_version"], "narrative": "Should not be saved.", **change}
    if "ratings" in body and isinstance(body["ratings"], list):
        body["ratings"] = [{**r, "id": first if r["id"] == "FIRST" else r["id"]} for r in body["ratings"]]
    response = client.patch(f"{SCANS}{scan.pk}/", body, format="json")
    assert_error(response, 400, fields=(field,))
    revision = ScanRevision.objects.get(scan=scan)
    assert (revision.lock_version, revision.narrative) == (draft["lock_version"], "")


def test_it_refuses_a_rating_of_another_scan_and_writes_nothing(api, assert_error, world, officer_a):
    client, scan = api(officer_a), world["draft"]
    draft = _draft_body(client, scan)
    foreign = world["submitted"].submitted_revision.ratings.first()
    response = client.patch(f"{SCANS}{scan.pk}/", {
        "lock_version": draft["lock_version"], "ratings": [{"id": foreign.pk, "rating": 0}],
    }, format="json")
    assert_error(response, 400, fields=("ratings",))
    assert Rating.objects.get(pk=foreign.pk).rating == 2
    assert ScanRevision.objects.get(scan=scan).lock_version == draft["lock_version"]


def test_it_refuses_an_incomplete_submission_field_by_field_and_writes_nothing(api, assert_error, world, officer_a):
    client, scan = api(officer_a), world["draft"]
    draft = _draft_body(client, scan)
    blank, serious = draft["ratings"][0]["id"], draft["ratings"][1]["id"]
    response = client.post(f"{SCANS}{scan.pk}/submit/", {
        "lock_version": draft["lock_version"],
        "ratings": [{"id": blank, "rating": None}, {"id": serious, "rating": 3, "evidence": " "}],
    }, format="json")
    error = assert_error(response, 400, fields=("ratings",))
    assert error["fields"]["ratings"][str(blank)] == {"rating": ["Rate this indicator."]}
    assert list(error["fields"]["ratings"][str(serious)]) == ["evidence"]
    revision = ScanRevision.objects.get(scan=scan)
    assert revision.is_draft and revision.lock_version == draft["lock_version"]
    assert Rating.objects.get(pk=blank).rating == 2  # the refused change was not saved


def test_it_submits_the_draft_and_chairs_then_read_it(api, world, officer_a, chair_a):
    client, scan = api(officer_a), world["draft"]
    draft = _draft_body(client, scan)
    response = client.post(f"{SCANS}{scan.pk}/submit/", {
        "lock_version": draft["lock_version"],
        "ratings": [{"id": r["id"], "rating": 0} for r in draft["ratings"]],
    }, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["draft"] is None
    assert (body["submitted"]["score"], body["submitted"]["tier"]) == (0, "low")
    assert api(chair_a).get(f"{SCANS}{scan.pk}/").json()["submitted"]["number"] == 1
    after = client.patch(f"{SCANS}{scan.pk}/", {"lock_version": draft["lock_version"] + 1}, format="json")
    assert after.status_code == 409  # no draft left to save


def test_it_amends_a_submitted_scan_and_refuses_to_amend_a_draft(api, assert_error, world, officer_a):
    client = api(officer_a)
    response = client.post(f"{SCANS}{world['submitted'].pk}/amend/")
    assert response.status_code == 200
    assert response.json()["draft"]["number"] == 2
    assert_error(client.post(f"{SCANS}{world['draft'].pk}/amend/"), 409)


@pytest.mark.parametrize("persona", ["chair_a", "eosg"])
def test_it_answers_403_to_readers_who_try_to_change_a_scan(request, api, assert_error, world, persona):
    client, scan = api(request.getfixturevalue(persona)), world["submitted"]
    assert_error(client.patch(f"{SCANS}{scan.pk}/", {"lock_version": 0}, format="json"), 403)
    assert_error(client.post(f"{SCANS}{scan.pk}/submit/", {"lock_version": 0}, format="json"), 403)
    assert_error(client.post(f"{SCANS}{scan.pk}/amend/"), 403)
    assert scan.revisions.count() == 1


@pytest.mark.parametrize("persona", ["officer_b", "chair_a", "chair_b", "sag", "eosg", "owner", "outsider"])
def test_it_answers_404_to_everyone_else_who_tries_to_change_a_draft(request, api, assert_error, world, persona):
    client, scan = api(request.getfixturevalue(persona)), world["draft"]
    assert_error(client.patch(f"{SCANS}{scan.pk}/", {"lock_version": 0}, format="json"), 404)
    assert_error(client.post(f"{SCANS}{scan.pk}/submit/", {"lock_version": 0}, format="json"), 404)
    assert ScanRevision.objects.get(scan=scan).lock_version == 0


def test_it_answers_anonymous_writes_with_401(api, assert_error, world):
    assert_error(api().post(SCANS, {"country": "X", "period": "2020-Q1"}, format="json"), 401)
    assert_error(api().patch(f"{SCANS}{world['draft'].pk}/", {"lock_version": 0}, format="json"), 401)
    assert_error(api().post(ALERTS, {}, format="json"), 401)


# --- urgent alerts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("officer_a", True), ("officer_b", False), ("chair_a", True), ("chair_b", False), ("sag", True),
     ("eosg", True), ("owner", False), ("outsider", False)],
)
def test_it_lists_and_shows_alerts_only_in_scope(request, api, assert_error, world, persona, sees):
    client, alert = api(request.getfixturevalue(persona)), world["alert"]
    assert _ids(client.get(ALERTS)) == ({alert.pk} if sees else set())
    response = client.get(f"{ALERTS}{alert.pk}/")
    if sees:
        assert response.json()["title"] == "Militia gathering"
    else:
        assert_error(response, 404)


def test_it_raises_an_urgent_alert_and_tells_the_chair_and_eosg(api, world, officer_a, chair_a, chair_b, eosg, country_a):
    before = Notification.objects.count()
    response = api(officer_a).post(ALERTS, {
        "country": country_a.iso3, "title": "Roadblocks", "location": "East", "severity": "imminent",
        "description": "Since this morning.",
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["evidence_restricted"] is True and body["raised_by"] == str(officer_a)
    assert set(Notification.objects.order_by("pk")[before:].values_list("recipient__username", flat=True)) == {"chair_a", "eosg"}


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"severity": "bad"}, 400, "severity"),
        ({"title": ""}, 400, "title"),
        ({"title": "x" * 201}, 400, "title"),
        ({"evidence_restricted": "perhaps"}, 400, "evidence_restricted"),
        ({"raised_by": 1}, 400, "raised_by"),
        ({"country": "ZZZ"}, 400, "country"),
    ],
)
def test_it_refuses_bad_alert_input_and_writes_nothing(api, assert_error, world, officer_a, country_a, change, status, field):
    body = {"country": country_a.iso3, "title": "T", "location": "L", "severity": "serious", "description": "D", **change}
    before = (Alert.objects.count(), Notification.objects.count())
    assert_error(api(officer_a).post(ALERTS, body, format="json"), status, fields=(field,))
    assert (Alert.objects.count(), Notification.objects.count()) == before


@pytest.mark.parametrize("persona", ["chair_a", "eosg"])
def test_it_answers_403_to_readers_who_raise_an_alert(request, api, assert_error, world, country_a, persona):
    body = {"country": country_a.iso3, "title": "T", "location": "L", "severity": "serious", "description": "D"}
    assert_error(api(request.getfixturevalue(persona)).post(ALERTS, body, format="json"), 403)
    assert Alert.objects.count() == 1


def test_it_filters_alerts(api, world, eosg, country_a, country_c):
    client, alert = api(eosg), world["alert"]
    today = timezone.localdate().isoformat()
    assert _ids(client.get(ALERTS, {"country": country_a.iso3, "severity": "severe"})) == {alert.pk}
    assert _ids(client.get(ALERTS, {"region": country_c.region.code})) == set()
    assert _ids(client.get(ALERTS, {"raised_from": today, "raised_to": today})) == {alert.pk}
    assert _ids(client.get(ALERTS, {"flagged_for_sag": "true"})) == set()
    assert _ids(client.get(ALERTS, {"flagged_for_sag": "false"})) == {alert.pk}


# --- query counts -------------------------------------------------------------------------------------


def test_it_lists_scans_and_alerts_in_the_same_number_of_queries_whatever_the_data(
    api, world, eosg, officer_a, country_a, django_assert_num_queries
):
    client = api(eosg)
    # Paged by keyset: no count of every scan or alert.
    with django_assert_num_queries(4) as small_scans:
        client.get(SCANS, {"page_size": 200})
    # One more than scans: the audit event recording that restricted evidence was shown.
    with django_assert_num_queries(5) as small_alerts:
        client.get(ALERTS, {"page_size": 200})
    many = [CountryFactory(region=country_a.region) for _ in range(12)]
    bulk_history(many, quarters_before(dt.date(2020, 1, 1), 5), officer_a)
    for i in range(20):
        services.alert_raise(country=many[i % 12], actor=officer_a, title=f"t{i}", location="l", severity="serious",
                             description="d")
    with django_assert_num_queries(len(small_scans.captured_queries)):
        assert len(client.get(SCANS, {"page_size": 200}).json()["results"]) == 62
    with django_assert_num_queries(len(small_alerts.captured_queries)):
        assert len(client.get(ALERTS, {"page_size": 200}).json()["results"]) == 21


def test_it_pages_scans_by_keyset_latest_periods_first_each_page_at_the_same_cost(
    api, assert_error, eosg, officer_a, country_a, django_assert_num_queries
):
    countries = [country_a, *(CountryFactory(region=country_a.region) for _ in range(2))]
    bulk_history(countries, quarters_before(dt.date(2026, 1, 1), 4), officer_a)
    expected = list(Scan.objects.order_by("-period_start", "-id").values_list("pk", flat=True))
    client, seen, url, costs = api(eosg), [], f"{SCANS}?page_size=5", []
    while url:
        with django_assert_num_queries(4) as queries:
            body = client.get(url).json()
        costs.append(len(queries.captured_queries))
        assert "count" not in body  # nothing counts every scan
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == expected and len(seen) == 12 and len(costs) == 3
    assert_error(client.get(SCANS, {"cursor": "not-a-cursor"}), 404)
