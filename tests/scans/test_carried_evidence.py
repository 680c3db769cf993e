"""Evidence carried from the last scan is marked "from <period>" until it is edited or confirmed."""

import datetime as dt

import pytest
from django.urls import reverse

from scans import services
from scans.models import Scan
from scans.periods import Period

from ..factories import file_scan
from .test_scan_form import _post_data

pytestmark = pytest.mark.usefixtures("matrix")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def carried(country_a, officer_a):
    """Q3 filed with evidence on every row (rows of 0 and 1 included); Q4 started from it."""
    file_scan(country_a, officer_a, Period.parse("2026-Q3"), rating=2, evidence="Militia radio calls.")
    return services.scan_start(country=country_a, period=Period.parse("2026-Q4"), actor=officer_a)


def _draft(scan: Scan):
    return scan.revisions.get(status="draft")


def test_it_marks_each_carried_evidence_with_the_period_it_came_from(carried):
    ratings = list(_draft(carried).ratings.all())
    assert ratings and {r.evidence_from for r in ratings} == {"2026-Q3"}


def test_it_keeps_the_first_period_when_evidence_is_carried_twice_unchanged(carried, country_a, officer_a):
    revision = _draft(carried)
    data = {r.pk: services.RatingData(rating=2, trend="stable", evidence=r.evidence, confidence="medium")
            for r in revision.ratings.all()}
    services.scan_submit(revision=revision, actor=officer_a, lock_version=revision.lock_version, ratings=data,
                         narrative="n")
    nxt = services.scan_start(country=country_a, period=Period.parse("2027-Q1"), actor=officer_a,
                              today=dt.date(2027, 1, 5))
    assert {r.evidence_from for r in _draft(nxt).ratings.all()} == {"2026-Q3"}


def test_editing_or_confirming_clears_the_mark_and_the_rest_keep_it(carried, officer_a):
    revision = _draft(carried)
    rows = list(revision.ratings.order_by("pk"))
    edited, confirmed, untouched = rows[0], rows[1], rows[2]
    data = {r.pk: services.RatingData(rating=r.rating, trend=r.trend, evidence=r.evidence, confidence=r.confidence)
            for r in rows}
    data[edited.pk] = services.RatingData(rating=2, evidence="New: checkpoints closed this week.")
    data[confirmed.pk] = services.RatingData(rating=2, evidence=confirmed.evidence, evidence_confirmed=True)
    services.scan_save_draft(revision=revision, actor=officer_a, lock_version=revision.lock_version, ratings=data,
                             narrative="")
    marks = dict(revision.ratings.values_list("pk", "evidence_from"))
    assert marks[edited.pk] == "" and marks[confirmed.pk] == ""
    assert marks[untouched.pk] == "2026-Q3"


def test_the_form_shows_the_mark_counts_the_unchanged_and_the_submit_reports_them(login, carried, officer_a):
    client = login(officer_a)
    url = reverse("scans:scan_edit", args=[carried.pk])
    page = client.get(url)
    html = page.content.decode()
    total = _draft(carried).ratings.count()
    assert html.count("from 2026-Q3") == total
    assert f"{total} ratings keep evidence from an earlier period unchanged" in html
    data = _post_data(page.context, action="save")
    data["r-0-evidence"] = "Rewritten after the field visit."
    data["r-1-evidence_confirmed"] = "on"
    client.post(url, data)
    page = client.get(url)
    assert f"{total - 2} ratings keep evidence from an earlier period unchanged" in page.content.decode()
    response = client.post(url, _post_data(page.context, action="submit"), follow=True)
    assert f"{total - 2} ratings were submitted with evidence carried unchanged" in response.content.decode()
    detail = client.get(reverse("scans:scan_detail", args=[carried.pk])).content.decode()
    assert detail.count("from 2026-Q3") == total - 2


def test_an_amendment_keeps_the_marks_of_the_submitted_scan(carried, officer_a):
    revision = _draft(carried)
    data = {r.pk: services.RatingData(rating=2, trend="stable", evidence=r.evidence, confidence="medium")
            for r in revision.ratings.all()}
    services.scan_submit(revision=revision, actor=officer_a, lock_version=revision.lock_version, ratings=data,
                         narrative="n")
    amendment = services.scan_amend(scan=carried, actor=officer_a)
    assert {r.evidence_from for r in amendment.ratings.all()} == {"2026-Q3"}
