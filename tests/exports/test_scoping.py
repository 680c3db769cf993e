"""Exports hold only what the user may see: by scope, by forged filters, by guessed job ids."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from exports.models import ExportJob

from .files import csv_rows, post_export


def _countries(rows) -> set[str]:
    return {r["Country"] for r in rows}


@pytest.mark.parametrize("kind", ["scans", "alerts", "actions", "records"])
def test_an_officer_of_a_gets_only_country_a(world, login, officer_a, kind):
    assert _countries(csv_rows(post_export(login(officer_a), kind=kind))) == {"Country A"}


@pytest.mark.parametrize("kind", ["scans", "alerts"])
def test_a_chair_of_another_region_gets_nothing_of_region_a(world, login, chair_b, kind):
    assert _countries(csv_rows(post_export(login(chair_b), kind=kind))) == {"Country C"}


def test_a_chair_of_another_region_gets_no_actions_of_region_a(world, login, chair_b):
    assert _countries(csv_rows(post_export(login(chair_b), kind="actions"))) == {"Country C"}


def test_an_action_owner_gets_their_actions_and_no_scans(world, login, owner):
    client = login(owner)
    assert {r["Action title"] for r in csv_rows(post_export(client, kind="actions"))} == {
        "Deploy monitors", "Engage the authorities of C"
    }
    # Scans are not among an owner's choices: the form refuses them.
    response = post_export(client, kind="scans")
    assert response.status_code == 400
    assert "SECRET" not in response.content.decode()


def test_an_officer_who_forges_another_countrys_id_is_refused_and_gets_no_file(world, login, officer_a, country_b):
    response = post_export(login(officer_a), kind="scans", country=country_b.pk)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Select a valid choice" in response.content.decode()


def test_a_region_filter_narrows_but_never_widens(world, login, officer_a, region_a, region_b):
    client = login(officer_a)
    assert _countries(csv_rows(post_export(client, kind="scans", region=region_a.pk))) == {"Country A"}
    assert post_export(client, kind="scans", region=region_b.pk).status_code == 400


def test_a_chair_filters_on_a_country_and_a_period(world, login, chair_a, country_b):
    rows = csv_rows(post_export(login(chair_a), kind="scans", country=country_b.pk, period="2026-q3"))
    assert _countries(rows) == {"Country B"} and {r["Period"] for r in rows} == {"2026-Q3"}
    rows = csv_rows(post_export(login(chair_a), kind="scans", date_from="2026-04-01", date_to="2026-06-30"))
    assert {(r["Country"], r["Period"]) for r in rows} == {("Country A", "2026-Q2")}


def test_review_records_of_region_a_reach_the_sag_but_not_officer_b(world, login, sag, officer_b):
    assert _countries(csv_rows(post_export(login(sag), kind="records"))) == {"Country A"}
    assert csv_rows(post_export(login(officer_b), kind="records")) == []


def test_an_outsider_is_offered_nothing_and_refused(world, login, outsider):
    client = login(outsider)
    page = client.get(reverse("exports:export_page"))
    assert page.status_code == 200
    assert "Your roles give you nothing to export" in page.content.decode()
    assert post_export(client, kind="scans").status_code == 403


def test_anonymous_is_sent_to_sign_in(world, client):
    for response in (client.get(reverse("exports:export_page")), post_export(client, kind="scans")):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_someone_elses_job_and_its_download_answer_404(world, login, officer_a, officer_b):
    job = ExportJob.objects.create(user=officer_b, kind="scans", format="csv", state=ExportJob.State.DONE)
    job.file.save("b.csv", ContentFile(b"SECRET-B"))
    client = login(officer_a)
    for name in ("exports:job_detail", "exports:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
        assert client.get(reverse(name, args=[job.pk + 1000])).status_code == 404
    owner_client = login(officer_b)
    response = owner_client.get(reverse("exports:job_download", args=[job.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"SECRET-B"
