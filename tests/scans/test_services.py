import datetime as dt

import pytest
from django.db import IntegrityError

from scans import services
from scans.models import Rating, Scan, ScanRevision
from scans.periods import Period

from ..factories import file_scan

TODAY = dt.date(2026, 11, 27)
Q3, Q4 = Period.parse("2026-Q3"), Period.parse("2026-Q4")

pytestmark = pytest.mark.usefixtures("matrix")


def _data(revision, **overrides):
    base = {"rating": 1, "trend": "stable", "evidence": "", "confidence": "high", "restricted": False}
    base.update(overrides)
    return {r.pk: services.RatingData(**base) for r in revision.ratings.all()}


def _submit(revision, user, **kwargs):
    return services.scan_submit(
        revision=revision, actor=user, lock_version=revision.lock_version, ratings=kwargs.pop("ratings"),
        narrative=kwargs.pop("narrative", ""), **kwargs,
    )


def test_it_starts_a_scan_prefilled_from_the_last_submitted_one(country_a, officer_a):
    file_scan(country_a, officer_a, Q3, rating=2)
    scan = services.scan_start(country=country_a, period=Q4, actor=officer_a, today=TODAY)
    ratings = list(scan.revisions.get().ratings.all())
    assert len(ratings) == 10
    assert {r.rating for r in ratings} == {2}
    assert {r.trend for r in ratings} == {"stable"}
    assert {r.evidence for r in ratings} == {"Seen by the team."}


def test_it_starts_a_first_scan_blank(country_a, officer_a):
    scan = services.scan_start(country=country_a, period=Q4, actor=officer_a, today=TODAY)
    assert {r.rating for r in scan.revisions.get().ratings.all()} == {None}


def test_it_refuses_a_future_period(country_a, officer_a):
    with pytest.raises(services.ScanError, match="not started yet"):
        services.scan_start(country=country_a, period=Q4.next(), actor=officer_a, today=TODAY)
    assert not Scan.objects.exists()


def test_it_refuses_a_monthly_period_for_a_quarterly_country(country_a, officer_a):
    with pytest.raises(services.ScanError, match="quarterly"):
        services.scan_start(country=country_a, period=Period.parse("2026-10"), actor=officer_a, today=TODAY)


def test_it_refuses_a_second_scan_for_the_same_period_and_points_to_the_first(country_a, officer_a):
    first = services.scan_start(country=country_a, period=Q4, actor=officer_a, today=TODAY)
    with pytest.raises(services.ScanExists) as exc:
        services.scan_start(country=country_a, period=Q4, actor=officer_a, today=TODAY)
    assert exc.value.scan == first
    assert Scan.objects.count() == 1 and ScanRevision.objects.count() == 1


def test_the_database_holds_one_scan_per_country_and_period(country_a, officer_a):
    Scan.objects.create(country=country_a, period="2026-Q4", period_kind="quarterly", period_start=Q4.start, created_by=officer_a)
    with pytest.raises(IntegrityError):
        Scan.objects.create(country=country_a, period="2026-Q4", period_kind="quarterly", period_start=Q4.start, created_by=officer_a)


def test_the_database_refuses_a_rating_off_the_scale(country_a, officer_a):
    revision = services.scan_start(country=country_a, period=Q4, actor=officer_a, today=TODAY).revisions.get()
    with pytest.raises(IntegrityError):
        Rating.objects.filter(pk=revision.ratings.first().pk).update(rating=4)


def test_it_saves_a_partial_draft(country_a, officer_a):
    revision = services.scan_start(country=country_a, period=Q4, actor=officer_a, today=TODAY).revisions.get()
    data = _data(revision, rating=None)
    first = next(iter(data))
    data[first] = services.RatingData(rating=3, evidence="Militia seen arming")
    services.scan_save_draft(revision=revision, actor=officer_a, lock_version=0, ratings=data, narrative="half done")
    revision.refresh_from_db()
    assert revision.narrative == "half done" and revision.lock_version == 1 and revision.is_draft
    assert Rating.objects.get(pk=first).evidence == "Militia seen arming"


def test_it_refuses_a_stale_save_and_keeps_the_newer_one(country_a, officer_a):
    revision = services.scan_start(country=country_a, period=Q4, actor=officer_a, today=TODAY).revisions.get()
    services.scan_save_draft(revision=revision, actor=officer_a, lock_version=0, ratings=_data(revision), narrative="tab one")
    with pytest.raises(services.StaleEdit):
        services.scan_save_draft(revision=revision, actor=officer_a, lock_version=0, ratings=_data(revision, rating=3), narrative="tab two")
    revision.refresh_from_db()
    assert revision.narrative == "tab one"
    assert set(revision.ratings.values_list("rating", flat=True)) == {1}


def test_it_lists_every_missing_rating_and_evidence_on_submit(country_a, officer_a):
    revision = services.scan_start(country=country_a, period=Q4, actor=officer_a, today=TODAY).revisions.get()
    data = _data(revision, rating=2)  # serious, without evidence
    unrated = list(data)[-1]
    data[unrated] = services.RatingData(rating=None)
    with pytest.raises(services.ScanIncomplete) as exc:
        _submit(revision, officer_a, ratings=data)
    errors = exc.value.rating_errors
    assert errors[unrated] == {"rating": "Rate this indicator."}
    assert sum("evidence" in e for e in errors.values()) == 9
    revision.refresh_from_db()
    assert revision.is_draft and revision.lock_version == 0


def test_it_scores_and_freezes_a_submitted_scan(country_a, officer_a):
    revision = services.scan_start(country=country_a, period=Q4, actor=officer_a, today=TODAY).revisions.get()
    _submit(revision, officer_a, ratings=_data(revision, rating=1))
    revision.refresh_from_db()
    assert (revision.status, revision.score, revision.tier) == ("submitted", 33, "moderate")
    assert revision.scan.submitted_revision == revision
    with pytest.raises(services.StaleEdit):
        services.scan_save_draft(
            revision=revision, actor=officer_a, lock_version=revision.lock_version, ratings=_data(revision), narrative="x"
        )


def test_an_amendment_is_a_new_revision_with_a_reason(country_a, officer_a):
    scan = file_scan(country_a, officer_a, Q3, rating=1)
    original = scan.submitted_revision
    amendment = services.scan_amend(scan=scan, actor=officer_a)
    assert amendment.number == 2 and amendment.is_draft
    assert services.scan_amend(scan=scan, actor=officer_a) == amendment  # reopening returns the same draft
    data = _data(amendment, rating=3, evidence="New facts")
    with pytest.raises(services.ScanIncomplete) as exc:
        _submit(amendment, officer_a, ratings=data)
    assert "amendment_reason" in exc.value.form_errors
    amendment.refresh_from_db()
    _submit(amendment, officer_a, ratings=data, amendment_reason="Massacre confirmed after submission")
    scan.refresh_from_db()
    assert scan.submitted_revision.number == 2 and scan.submitted_revision.tier == "very_high"
    original.refresh_from_db()
    assert original.score == 33 and set(original.ratings.values_list("rating", flat=True)) == {1}


def test_a_new_case_indicator_joins_open_drafts(country_a, officer_a):
    draft = services.scan_start(country=country_a, period=Q4, actor=officer_a, today=TODAY).revisions.get()
    case = services.case_indicator_add(country=country_a, actor=officer_a, name="Attacks in province X")
    assert draft.ratings.filter(case_indicator=case).exists()
    later = file_scan(country_a, officer_a, Q3, rating=0)
    assert later.submitted_revision.ratings.filter(case_indicator=case).exists()
