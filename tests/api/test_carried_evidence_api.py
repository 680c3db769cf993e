"""The API shows carried evidence's period and takes a confirmation that it still holds."""

import datetime as dt

import pytest

from scans import services
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")


def test_it_shows_the_mark_and_takes_a_confirmation(api, country_a, officer_a, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)
    file_scan(country_a, officer_a, Period.parse("2026-Q3"), rating=2, evidence="Militia radio calls.")
    scan = services.scan_start(country=country_a, period=Period.parse("2026-Q4"), actor=officer_a)
    client = api(officer_a)
    draft = client.get(f"/api/v1/scans/{scan.pk}/").json()["draft"]
    first = draft["ratings"][0]
    assert {r["evidence_from"] for r in draft["ratings"]} == {"2026-Q3"}
    response = client.patch(f"/api/v1/scans/{scan.pk}/", {
        "lock_version": draft["lock_version"], "ratings": [{"id": first["id"], "evidence_confirmed": True}],
    }, format="json")
    assert response.status_code == 200, response.content
    marks = {r["id"]: r["evidence_from"] for r in response.json()["draft"]["ratings"]}
    assert marks.pop(first["id"]) == "" and set(marks.values()) == {"2026-Q3"}
