"""The core API: regions, countries, notifications, the API token, pagination, schema and docs."""

import datetime as dt
import io
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from hruf.models import ApiToken, AuditEvent, Country, Notification, Role
from hruf.notifications import notify
from hruf.otp.services import second_factor_disable

from ..factories import CountryFactory, bulk_history, file_scan, grant, quarters_before

COUNTRIES = "/api/v1/countries/"


def _iso3s(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["iso3"] for row in response.json()["results"]}


# --- authentication ------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/regions/", COUNTRIES, "/api/v1/notifications/", "/api/v1/scans/"])
def test_it_answers_anonymous_calls_with_401_in_the_error_format(api, assert_error, url):
    response = api().get(url)
    error = assert_error(response, 401)
    assert error["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_it_accepts_a_token_instead_of_a_session(token_api, officer_a, country_a):
    assert _iso3s(token_api(officer_a).get(COUNTRIES)) == {country_a.iso3}


def test_it_refuses_a_wrong_token(api, assert_error, officer_a):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert assert_error(client.get(COUNTRIES), 401)["code"] == "authentication_failed"


def test_it_refuses_the_token_of_someone_who_left(token_api, assert_error, officer_a):
    client = token_api(officer_a)
    officer_a.is_active = False
    officer_a.save()
    assert_error(client.get(COUNTRIES), 401)


def test_a_token_made_before_its_owner_became_eosg_ends_with_the_role_change(
    token_api, api, assert_error, officer_a, country_a
):
    client = token_api(officer_a)
    assert client.get(COUNTRIES).status_code == 200
    grant(officer_a, Role.EOSG)  # any role change ends the person's tokens
    assert_error(client.get(COUNTRIES), 401)
    assert not ApiToken.objects.filter(user=officer_a).exists()
    # Nor does a token made from a password-only session stand in for the second factor now owed.
    _token, key = ApiToken.objects.create(user=officer_a, second_factor=False)
    by_key = api()
    by_key.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert "two-factor" in assert_error(by_key.get(COUNTRIES), 401)["message"]


def test_it_makes_lists_and_revokes_tokens_in_the_signed_in_session(api, officer_a, country_a):
    client = api(officer_a)
    assert client.get("/api/v1/token/").json() == []

    first = client.post("/api/v1/token/", {"name": "nightly export"}, format="json")
    assert first.status_code == 201
    key = first.json()["token"]
    stored = ApiToken.objects.get(user=officer_a)
    assert key.startswith("hruf_") and stored.token_key == key[:15] and key not in stored.digest
    assert stored.name == "nightly export" and stored.expiry is not None
    listed = client.get("/api/v1/token/").json()
    assert [t["name"] for t in listed] == ["nightly export"] and "token" not in listed[0]  # shown once, when made

    second = client.post("/api/v1/token/", {"name": "laptop"}, format="json").json()["token"]
    by_first, by_second = api(), api()
    by_first.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    by_second.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert _iso3s(by_first.get(COUNTRIES)) == _iso3s(by_second.get(COUNTRIES)) == {country_a.iso3}
    used = ApiToken.objects.get(token_key=key[:15])
    assert used.last_used_at is not None and used.last_used_ip == "127.0.0.1"

    assert client.delete("/api/v1/token/", {"token_key": key[:15]}, format="json").status_code == 204
    assert by_first.get(COUNTRIES).status_code == 401 and by_second.get(COUNTRIES).status_code == 200
    assert client.delete("/api/v1/token/").status_code == 204
    assert by_second.get(COUNTRIES).status_code == 401
    assert AuditEvent.objects.filter(object_type="hruf.apitoken", action="create").count() == 2
    assert AuditEvent.objects.filter(object_type="hruf.apitoken", action="delete").count() == 2


def test_a_token_expires(token_api, assert_error, officer_a, time_machine, settings):
    time_machine.move_to(dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC), tick=False)
    client = token_api(officer_a)
    assert client.get(COUNTRIES).status_code == 200
    time_machine.shift(dt.timedelta(days=settings.API_TOKEN_DAYS, minutes=1))
    assert_error(client.get(COUNTRIES), 401)


def test_a_new_password_ends_every_token(token_api, assert_error, officer_a):
    client = token_api(officer_a)
    officer_a.set_password("a whole new passphrase")
    officer_a.save()
    assert_error(client.get(COUNTRIES), 401)
    event = AuditEvent.objects.get(object_type="hruf.apitoken", action="delete")
    assert event.detail["why"] == "password_changed"


def test_it_does_not_let_a_token_renew_itself(token_api, assert_error, officer_a):
    client = token_api(officer_a)
    assert_error(client.post("/api/v1/token/"), 403)
    assert_error(client.delete("/api/v1/token/"), 403)
    assert ApiToken.objects.filter(user=officer_a).count() == 1


def test_it_refuses_a_session_post_without_the_csrf_token(officer_a, assert_error):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer_a)
    assert "CSRF" in assert_error(client.post("/api/v1/token/"), 403)["message"]
    assert not ApiToken.objects.exists()


# --- regions and countries --------------------------------------------------------------


def test_it_lists_regions_as_reference_data_for_everyone_signed_in(api, outsider, region_a):
    response = api(outsider).get("/api/v1/regions/", {"page_size": 200})
    assert response.status_code == 200
    assert {"code": region_a.code, "name": "Region A"} in response.json()["results"]
    assert api(outsider).get(f"/api/v1/regions/{region_a.code}/").json()["name"] == "Region A"


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("officer_a", {"a"}),
        ("officer_b", {"b"}),
        ("chair_a", {"a", "b"}),
        ("chair_b", {"c"}),
        ("owner", set()),
        ("outsider", set()),
    ],
)
def test_it_lists_and_shows_only_the_countries_in_scope(request, api, assert_error, persona, visible):
    countries = {k: request.getfixturevalue(f"country_{k}") for k in "abc"}
    client = api(request.getfixturevalue(persona))
    assert _iso3s(client.get(COUNTRIES, {"page_size": 200})) == {countries[k].iso3 for k in visible}
    for key, country in countries.items():
        response = client.get(f"{COUNTRIES}{country.iso3.lower()}/")
        if key in visible:
            assert response.json()["iso3"] == country.iso3
        else:
            assert_error(response, 404)


@pytest.mark.parametrize("persona", ["sag", "eosg"])
def test_it_lists_every_country_to_sag_and_eosg(request, api, persona, country_a, country_c):
    response = api(request.getfixturevalue(persona)).get(COUNTRIES, {"page_size": 200})
    assert response.json()["count"] == Country.objects.count()


def test_it_filters_countries_by_region_and_shows_the_last_score_and_tier(api, matrix, chair_a, officer_a, country_a, country_b, country_c):
    first, last = quarters_before(dt.date(2026, 7, 1), 2)
    file_scan(country_a, officer_a, first, rating=1)
    file_scan(country_a, officer_a, last, rating=3)
    eosg_rows = api(chair_a).get(COUNTRIES, {"region": country_a.region.code}).json()["results"]
    rows = {row["iso3"]: row for row in eosg_rows}
    assert set(rows) == {country_a.iso3, country_b.iso3}
    assert rows[country_a.iso3]["last_period"] == last.code
    assert rows[country_a.iso3]["last_score"] == 100
    assert rows[country_a.iso3]["last_tier"] == "very_high"
    assert rows[country_a.iso3]["score_change"] == 100 - country_a.scans.get(period=first.code).submitted_revision.score
    assert rows[country_b.iso3]["last_score"] is None


# --- pagination ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["100000", "0", "-1", "ten", "1.5"])
def test_it_refuses_a_page_size_out_of_range_with_a_clear_message(api, assert_error, eosg, size, settings):
    error = assert_error(api(eosg).get(COUNTRIES, {"page_size": size}), 400, fields=("page_size",))
    assert error["fields"]["page_size"] == [f"Give a whole number from 1 to {settings.API_MAX_PAGE_SIZE}."]


def test_it_pages_with_a_chosen_size_and_answers_404_past_the_last_page(api, assert_error, eosg):
    body = api(eosg).get(COUNTRIES, {"page_size": 10, "page": 2}).json()
    assert len(body["results"]) == 10 and body["previous"] and body["next"]
    assert_error(api(eosg).get(COUNTRIES, {"page": 9999}), 404)


# --- notifications ------------------------------------------------------------------------------


@pytest.fixture
def inbox(officer_a, officer_b):
    mine = notify(recipients=[officer_a], code="legacy", params={"subject": "Scan due", "body": "Country A"})
    notify(recipients=[officer_a], code="legacy", params={"subject": "Alert", "body": "Country A"})
    theirs = notify(recipients=[officer_b], code="legacy", params={"subject": "Not yours", "body": "Country B"})
    return mine[0], theirs[0]


def test_it_lists_only_ones_own_notifications_and_filters_unread(api, officer_a, inbox):
    client = api(officer_a)
    body = client.get("/api/v1/notifications/").json()
    assert [n["subject"] for n in body["results"]] == ["Alert", "Scan due"]
    Notification.objects.filter(pk=inbox[0].pk).update(read_at="2026-01-01T00:00Z")
    assert [n["subject"] for n in client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]] == ["Alert"]
    assert [n["subject"] for n in client.get("/api/v1/notifications/", {"unread": "false"}).json()["results"]] == ["Scan due"]


def test_it_marks_one_notification_read_and_not_someone_elses(api, assert_error, officer_a, inbox):
    mine, theirs = inbox
    client = api(officer_a)
    response = client.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200
    assert response.json()["unread"] is False and response.json()["read_at"]
    assert Notification.objects.filter(recipient=officer_a, read_at__isnull=True).count() == 1
    assert_error(client.post(f"/api/v1/notifications/{theirs.pk}/read/"), 404)
    assert_error(client.get(f"/api/v1/notifications/{theirs.pk}/"), 404)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_it_marks_all_of_ones_notifications_read(api, officer_a, inbox):
    assert api(officer_a).post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert not Notification.objects.filter(recipient=officer_a, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=inbox[1].pk).read_at is None


# --- query counts --------------------------------------------------------------------------------


def test_it_lists_countries_in_the_same_number_of_queries_whatever_the_data(api, matrix, eosg, officer_a, country_a, django_assert_num_queries):
    client = api(eosg)
    file_scan(country_a, officer_a, quarters_before(dt.date(2026, 7, 1), 1)[0])
    with django_assert_num_queries(5) as small:
        client.get(COUNTRIES, {"page_size": 200})
    region = country_a.region
    many = [CountryFactory(region=region) for _ in range(15)]
    bulk_history(many, quarters_before(dt.date(2026, 7, 1), 4), officer_a)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(COUNTRIES, {"page_size": 200})


def test_it_lists_notifications_in_the_same_number_of_queries_whatever_the_data(api, officer_a, django_assert_num_queries):
    client = api(officer_a)
    notify(recipients=[officer_a], code="legacy", params={"subject": "one", "body": ""})
    with django_assert_num_queries(3):  # session, user, the page (by keyset: no count)
        assert len(client.get("/api/v1/notifications/").json()["results"]) == 1
    for i in range(30):
        notify(recipients=[officer_a], code="legacy", params={"subject": f"more {i}", "body": ""})
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/notifications/").json()["results"]) == 31


# --- schema and documentation ----------------------------------------------------------------------


def test_it_serves_an_openapi_schema_describing_the_endpoints(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ["/api/v1/countries/", "/api/v1/regions/", "/api/v1/notifications/{id}/read/", "/api/v1/token/",
                 "/api/v1/scans/", "/api/v1/scans/{id}/submit/", "/api/v1/alerts/", "/api/v1/matrix/current/",
                 "/api/v1/warnings/", "/api/v1/warnings/{id}/", "/api/v1/warnings/{id}/acknowledge/"]:
        assert path in schema["paths"], path
    # Every operation documents the one error format.
    assert "Error" in schema["components"]["schemas"]
    assert schema["paths"]["/api/v1/scans/{id}/"]["patch"]["responses"]["409"]


def test_it_generates_the_schema_without_warnings_and_documents_the_workflow_steps():
    # --fail-on-warn: an endpoint whose types drf-spectacular would have to guess fails here, not in a client.
    out = io.StringIO()
    call_command("spectacular", "--fail-on-warn", "--validate", stdout=out)
    paths = yaml.safe_load(out.getvalue())["paths"]
    for path in ["/api/v1/meetings/", "/api/v1/plans/"]:
        assert "Location" in paths[path]["post"]["responses"]["201"]["headers"], path
    assert set(paths["/api/v1/meetings/{id}/sag-cases/"]["post"]["responses"]) >= {"200", "201", "403", "404", "409"}
    assert set(paths["/api/v1/alerts/{id}/flag-for-sag/"]["post"]["responses"]) >= {"200", "403", "404", "409"}
    assert "404" in paths["/api/v1/plans/"]["post"]["responses"]  # a source out of scope


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_it_serves_the_documentation_from_the_app_itself(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
    assert any(a.startswith("/static/drf_spectacular_sidecar/") for a in assets)
    for asset in assets:
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
        else:  # served by the app itself (Swagger UI's start-up script)
            assert client.get(asset).status_code == 200, asset


@pytest.mark.parametrize("url", ["/api/v1/nowhere/", "/api/v1/scans/1.5e3/", "/api/v1/countries/%C2%84/"])
def test_it_answers_an_address_no_endpoint_has_with_404_in_the_error_format(api, assert_error, officer_a, url):
    assert_error(api(officer_a).get(url), 404)
    assert_error(api().post(url), 404)


def test_resetting_two_factor_sign_in_ends_every_token(token_api, assert_error, eosg):
    TOTPDevice.objects.create(user=eosg, name="phone", confirmed=True)
    client = token_api(eosg)  # made after the second factor was checked
    assert client.get(COUNTRIES).status_code == 200
    second_factor_disable(actor=eosg)
    assert_error(client.get(COUNTRIES), 401)
    assert AuditEvent.objects.get(object_type="hruf.apitoken", action="delete").detail["why"] == "second_factor_reset"
