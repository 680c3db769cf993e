"""Scope boundaries: who reaches which scan, draft, alert and restricted evidence, by page and guessed address."""

import pytest
from django.urls import reverse

from hruf.models import Role
from scans import services
from scans.periods import Period

from ..factories import UserFactory, file_scan, grant

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")


@pytest.fixture
def scan_a(country_a, officer_a):
    return file_scan(country_a, officer_a, Q3, rating=2, restricted=True, evidence="Source: the mayor's aide")


@pytest.fixture
def draft_b(country_b, officer_b):
    return services.scan_start(country=country_b, period=Q3, actor=officer_b)


def _status(client, name, *args, method="get"):
    return getattr(client, method)(reverse(name, args=args)).status_code


def test_an_officer_of_b_gets_404_for_every_address_of_a_scan(login, scan_a, officer_b):
    client = login(officer_b)
    assert _status(client, "scans:scan_detail", scan_a.pk) == 404
    assert _status(client, "scans:scan_edit", scan_a.pk) == 404
    assert _status(client, "scans:scan_amend", scan_a.pk, method="post") == 404
    assert _status(client, "scans:country_detail", scan_a.country.iso3) == 404
    assert _status(client, "scans:scan_start", scan_a.country.iso3, method="post") == 404
    assert _status(client, "scans:alert_create", scan_a.country.iso3) == 404


def test_a_guessed_id_looks_the_same_as_a_missing_one(login, scan_a, officer_b):
    client = login(officer_b)
    missing = client.get(reverse("scans:scan_detail", args=[scan_a.pk + 1000]))
    guessed = client.get(reverse("scans:scan_detail", args=[scan_a.pk]))
    assert missing.status_code == guessed.status_code == 404


def test_the_officer_of_a_reads_and_amends_their_scan(login, scan_a, officer_a):
    client = login(officer_a)
    html = client.get(reverse("scans:scan_detail", args=[scan_a.pk])).content.decode()
    assert "Source: the mayor" in html
    assert _status(client, "scans:scan_amend", scan_a.pk, method="post") == 302


def test_an_officer_sees_their_own_drafts_but_nobody_else_does(login, draft_b, officer_b, chair_a, eosg, sag, officer_a):
    assert _status(login(officer_b), "scans:scan_edit", draft_b.pk) == 200
    for other in (chair_a, eosg, sag, officer_a):
        client = login(other)
        assert _status(client, "scans:scan_detail", draft_b.pk) == 404, other
        assert _status(client, "scans:scan_edit", draft_b.pk) == 404, other


def test_the_regions_chair_reads_with_restricted_evidence_but_cannot_edit(login, scan_a, chair_a):
    client = login(chair_a)
    assert "Source: the mayor" in client.get(reverse("scans:scan_detail", args=[scan_a.pk])).content.decode()
    assert _status(client, "scans:scan_amend", scan_a.pk, method="post") == 403
    assert _status(client, "scans:scan_edit", scan_a.pk) == 403


def test_a_chair_of_another_region_gets_404(login, scan_a, chair_b):
    client = login(chair_b)
    assert _status(client, "scans:scan_detail", scan_a.pk) == 404
    assert _status(client, "scans:country_detail", scan_a.country.iso3) == 404


def test_sag_reads_scans_without_restricted_evidence_and_eosg_with_it(login, scan_a, sag, eosg):
    sag_html = login(sag).get(reverse("scans:scan_detail", args=[scan_a.pk])).content.decode()
    assert "Restricted evidence withheld." in sag_html and "mayor" not in sag_html
    eosg_html = login(eosg).get(reverse("scans:scan_detail", args=[scan_a.pk])).content.decode()
    assert "Source: the mayor" in eosg_html


@pytest.mark.parametrize("persona", ["owner", "outsider"])
def test_people_without_a_country_scope_see_no_scan(request, login, scan_a, persona):
    client = login(request.getfixturevalue(persona))
    assert _status(client, "scans:scan_detail", scan_a.pk) == 404
    assert scan_a.country.name not in client.get(reverse("scans:country_list")).content.decode()


def test_an_administrator_manages_reference_data_not_case_content(login, scan_a):
    admin = grant(UserFactory(username="admin", is_staff=True, is_superuser=True), Role.ADMIN)
    client = login(admin)
    assert _status(client, "scans:scan_detail", scan_a.pk) == 404
    assert client.get("/admin/scans/").status_code == 200
    assert client.get("/admin/scans/scan/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, scan_a):
    response = client.get(reverse("scans:scan_detail", args=[scan_a.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_alerts_reach_the_region_and_eosg_only(login, country_a, officer_a, chair_a, chair_b, eosg, officer_b):
    alert = services.alert_raise(
        country=country_a, actor=officer_a, title="Village burned", location="North", severity="severe",
        description="d", evidence="Witness named Ali", evidence_restricted=True,
    )
    url = reverse("scans:alert_detail", args=[alert.pk])
    assert "Witness named Ali" in login(chair_a).get(url).content.decode()
    assert "Witness named Ali" in login(eosg).get(url).content.decode()
    assert login(chair_b).get(url).status_code == 404
    assert login(officer_b).get(url).status_code == 404
