"""Restricted evidence: out by default; in only when the user may see it for that row's country AND asked."""

from django.urls import reverse

from hruf.models import Role

from ..factories import grant
from .files import csv_rows, post_export, xlsx_rows


def _evidence(rows, column="Evidence") -> set[str]:
    return {r[column] or "" for r in rows}


def test_it_leaves_restricted_evidence_out_by_default(world, login, eosg):
    rows = csv_rows(post_export(login(eosg), kind="scans"))
    assert not any("SECRET" in e for e in _evidence(rows))
    assert "OPEN-A market burned" in _evidence(rows)
    withheld = [r for r in rows if r["Restricted evidence"] == "yes"]
    assert withheld and _evidence(withheld) == {""}


def test_it_includes_restricted_evidence_when_allowed_and_asked(world, login, chair_a):
    rows = csv_rows(post_export(login(chair_a), kind="scans", include_restricted="on"))
    assert {"SECRET-A witness name", "SECRET-B witness name", "OPEN-A market burned"} <= _evidence(rows)
    alerts = csv_rows(post_export(login(chair_a), kind="alerts", include_restricted="on"))
    assert "ALERT-SECRET-A names" in _evidence(alerts, "Evidence and sources")


def test_it_includes_restricted_evidence_in_xlsx_too(world, login, officer_a):
    rows = xlsx_rows(post_export(login(officer_a), kind="scans", format="xlsx", include_restricted="on").content)
    assert "SECRET-A witness name" in _evidence(rows)


def test_the_sag_is_not_offered_the_checkbox_and_a_forged_one_changes_nothing(world, login, sag):
    client = login(sag)
    page = client.get(reverse("exports:export_page")).content.decode()
    assert 'name="include_restricted"' not in page
    for kind, column in (("scans", "Evidence"), ("alerts", "Evidence and sources")):
        for fmt in ("csv", "xlsx"):
            response = post_export(client, kind=kind, format=fmt, include_restricted="on")
            rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response.content)
            assert rows and not any("SECRET" in e for e in _evidence(rows, column))


def test_the_checkbox_is_offered_to_those_who_may_see_some(world, login, officer_a, chair_a, eosg, owner):
    for user, offered in ((officer_a, True), (chair_a, True), (eosg, True), (owner, False)):
        page = login(user).get(reverse("exports:export_page")).content.decode()
        assert ('name="include_restricted"' in page) is offered, user


def test_it_includes_restricted_evidence_only_for_the_countries_where_the_user_may_read_it(
    world, login, sag, country_a
):
    # A SAG member reads every scan; as officer of A they also read A's restricted evidence, and only A's.
    both = grant(sag, Role.OFFICER, country=country_a)
    rows = csv_rows(post_export(login(both), kind="scans", include_restricted="on"))
    by_country = {c: _evidence([r for r in rows if r["Country"] == c]) for c in ("Country A", "Country B")}
    assert "SECRET-A witness name" in by_country["Country A"]
    assert by_country["Country B"] == {""}  # B's ratings are all restricted: every cell empty
    assert [r for r in rows if r["Country"] == "Country B"]
