"""Restricted evidence is retired after RESTRICTED_EVIDENCE_MONTHS: its text replaced, its files deleted, once;
open evidence, ratings, scores and the audit trail stay; nothing retired is carried into a new scan."""

import datetime as dt

import pytest
from django.utils import timezone

from hruf.models import AuditEvent
from scans import services
from scans.evidence import attach_to_alert
from scans.models import Alert, EvidenceFile, Rating
from scans.periods import Period
from scans.retention import months_before, sweep_restricted_evidence

from ..evidence_fixtures import pdf_upload
from ..factories import file_scan

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 12, 4, 3, 0))


@pytest.mark.parametrize("moment, months, expected", [
    (dt.datetime(2026, 12, 4), 12, dt.datetime(2025, 12, 4)),
    (dt.datetime(2026, 3, 31), 1, dt.datetime(2026, 2, 28)),  # February has no 31st
    (dt.datetime(2026, 1, 15), 13, dt.datetime(2024, 12, 15)),
    (dt.datetime(2024, 3, 30), 1, dt.datetime(2024, 2, 29)),
])
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


@pytest.fixture
def old_and_new(evidence_store, matrix, country_a, officer_a, time_machine, settings):
    """A restricted scan submitted 13 months ago, an open one as old, and a restricted one of last month;
    an old alert with restricted evidence and a file."""
    settings.RESTRICTED_EVIDENCE_MONTHS = 12
    time_machine.move_to(NOW - dt.timedelta(days=400))
    old = file_scan(country_a, officer_a, Period.parse("2025-Q3"), rating=3, restricted=True, evidence="Source: Amina")
    old_open = file_scan(country_a, officer_a, Period.parse("2025-Q2"), rating=2, evidence="Seen on the road")
    alert = Alert.objects.create(country=country_a, title="Attack", location="North", severity="severe",
                                 description="d", raised_by=officer_a, evidence="Told by Amina")
    evidence = attach_to_alert(actor=officer_a, alert=alert, upload=pdf_upload())
    time_machine.move_to(NOW - dt.timedelta(days=30))
    recent = file_scan(country_a, officer_a, Period.parse("2026-Q4"), rating=3, restricted=True, evidence="Source: Bo")
    time_machine.move_to(NOW)
    return old, old_open, recent, alert, evidence


def _evidence(scan) -> set[str]:
    return set(Rating.objects.filter(revision__scan=scan).values_list("evidence", flat=True))


def test_old_restricted_evidence_is_withheld_and_its_files_deleted_once(old_and_new, evidence_store,
                                                                        django_capture_on_commit_callbacks):
    old, old_open, recent, alert, evidence = old_and_new
    scores = {s.pk: s.submitted_revision.score for s in (old, old_open, recent)}
    stored = evidence.file.name

    with django_capture_on_commit_callbacks(execute=True):
        result = sweep_restricted_evidence(now=NOW)

    ratings = Rating.objects.filter(revision__scan=old).count()
    assert (result.done, result.failed) == (ratings + 1, 0)
    assert _evidence(old) == {"[withheld after 12 months]"}
    assert set(Rating.objects.filter(revision__scan=old).values_list("rating", flat=True)) == {3}  # ratings stay
    assert _evidence(old_open) == {"Seen on the road"}  # open evidence is not retired
    assert _evidence(recent) == {"Source: Bo"}  # nor recent evidence
    assert {s.pk: s.submitted_revision.score for s in (old, old_open, recent)} == scores
    alert.refresh_from_db()
    assert alert.evidence == "[withheld after 12 months]" and alert.evidence_retired_at == NOW
    assert not EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert not evidence.file.storage.exists(stored)

    event = AuditEvent.objects.get(object_type="scans.alert", object_id=str(alert.pk), detail__step="evidence_retired")
    assert event.actor is None and event.country_id == alert.country_id
    assert event.detail["files_deleted"] == [{"id": evidence.pk, "sha256": evidence.sha256}]
    assert "Amina" not in str(event.changes) + str(event.detail)

    assert sweep_restricted_evidence(now=NOW).done == 0  # once


def test_nothing_is_retired_when_the_setting_is_zero(old_and_new, settings):
    settings.RESTRICTED_EVIDENCE_MONTHS = 0
    old, *_ = old_and_new
    assert sweep_restricted_evidence(now=NOW).done == 0
    assert _evidence(old) == {"Source: Amina"}


def test_withheld_evidence_is_not_carried_into_a_new_scan(evidence_store, matrix, country_a, officer_a,
                                                          time_machine, settings):
    settings.RESTRICTED_EVIDENCE_MONTHS = 12
    time_machine.move_to(NOW - dt.timedelta(days=400))
    file_scan(country_a, officer_a, Period.parse("2025-Q3"), rating=3, restricted=True, evidence="Source: Amina")
    time_machine.move_to(NOW)
    sweep_restricted_evidence(now=NOW)
    new = services.scan_start(country=country_a, period=Period.parse("2026-Q4"), actor=officer_a, today=NOW.date())
    carried = new.revisions.get().ratings.all()
    assert {r.evidence for r in carried} == {""} and {r.rating for r in carried} == {3}
    assert {r.evidence_from for r in carried} == {""}
