"""The clock's figures and the warning-response gap as exports, scoped as the ledger is read."""

import datetime as dt

import pytest

from scans.models import EarlyWarning, WarningStep

from .conftest import NOW
from .files import csv_rows, post_export, xlsx_rows

H = dt.timedelta(hours=1)


@pytest.fixture
def warnings(country_a, country_c):
    """Country A (region A): acknowledged after 2 h and after 8 h; country C (region B): never.
    All raised in August, so 30 days on, every one without a decision is in the gap."""
    made = []
    for n, (country, ack) in enumerate([(country_a, 2), (country_a, 8), (country_c, None)]):
        raised = dt.datetime(2026, 8, 1 + n, 9, tzinfo=dt.UTC)
        w = EarlyWarning.objects.create(country=country, kind="alert", severity="severe", raised_at=raised, act_by=raised)
        if ack:
            WarningStep.objects.create(warning=w, kind="acknowledged", key=f"a{n}", at=raised + ack * H)
        made.append(w)
    return made


def _row(rows, grouping, group, stage):
    return next(r for r in rows if (r["Grouped by"], r["Group"], r["Stage"]) == (grouping, group, stage))


def test_it_exports_the_clocks_figures_in_hours(warnings, login, eosg):
    rows = csv_rows(post_export(login(eosg), kind="clock", period="2026-Q3"))
    everything = _row(rows, "All warnings", "All warnings", "Acknowledged")
    assert (everything["Warnings raised"], everything["Warnings that reached it"]) == ("3", "2")
    assert (everything["Median (hours, nearest-rank)"], everything["90th percentile (hours, nearest-rank)"]) == ("2.0", "8.0")
    assert _row(rows, "All warnings", "All warnings", "Decided")["Median (hours, nearest-rank)"] == ""
    region_b = _row(rows, "Region", "Region B", "Acknowledged")
    assert (region_b["Warnings raised"], region_b["Warnings that reached it"]) == ("1", "0")
    assert len(rows) == 5 * (1 + 2 + 1 + 1)  # stages x (all, two regions, one kind, one severity)


def test_it_exports_the_gap_in_xlsx(warnings, login, eosg):
    rows = xlsx_rows(post_export(login(eosg), kind="gap", format="xlsx").content)
    assert [(r["Warning"], r["Country"], r["Days open"]) for r in rows] == [
        (w.pk, w.country.name, (NOW - w.raised_at).days) for w in warnings
    ]
    assert rows[0]["State"] == "Waiting for acknowledgement" and rows[0]["Kind"] == "Urgent alert"


def test_a_chair_exports_only_their_regions_warnings(warnings, login, chair_a, country_a):
    gap = csv_rows(post_export(login(chair_a), kind="gap"))
    assert {r["Country"] for r in gap} == {country_a.name}
    clock = csv_rows(post_export(login(chair_a), kind="clock"))
    assert _row(clock, "All warnings", "All warnings", "Acknowledged")["Warnings raised"] == "2"
    assert not [r for r in clock if r["Group"] == "Region B"]


def test_the_dates_choose_the_clocks_warnings_not_the_gaps(warnings, login, eosg):
    client = login(eosg)
    clock = csv_rows(post_export(client, kind="clock", date_from="2026-08-02"))
    assert _row(clock, "All warnings", "All warnings", "Acknowledged")["Warnings raised"] == "2"
    assert len(csv_rows(post_export(client, kind="gap", date_from="2026-08-02"))) == 3
