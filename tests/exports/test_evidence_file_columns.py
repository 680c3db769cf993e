"""Exports list evidence files by name and SHA-256 digest, never their content, and a restricted one
only where the restricted evidence itself goes out (issue 13, item 4)."""

from exports.models import Kind
from scans.evidence import attach_to_alert

from ..evidence_fixtures import pdf_upload
from .files import csv_rows, post_export

COLUMN = "Evidence files"


def test_scan_rows_list_each_file_by_name_and_digest(login, eosg, submitted_files):
    _scan, open_file, secret_file = submitted_files
    rows = csv_rows(post_export(login(eosg), kind=Kind.SCANS, include_restricted="on"))
    listed = [r[COLUMN] for r in rows if r[COLUMN]]
    assert sorted(listed) == sorted(
        [f"open.pdf (sha256 {open_file.sha256})", f"source.jpg (sha256 {secret_file.sha256})"]
    )
    unasked = [r[COLUMN] for r in csv_rows(post_export(login(eosg), kind=Kind.SCANS)) if r[COLUMN]]
    assert unasked == [f"open.pdf (sha256 {open_file.sha256})"]  # the restricted one stays out, as its evidence


def test_alert_rows_list_files_only_to_who_reads_them(login, chair_a, sag, officer_a, restricted_alert):
    evidence = attach_to_alert(actor=officer_a, alert=restricted_alert, upload=pdf_upload("witness.pdf"))
    chair = csv_rows(post_export(login(chair_a), kind=Kind.ALERTS, include_restricted="on"))
    assert [r[COLUMN] for r in chair] == [f"witness.pdf (sha256 {evidence.sha256})"]
    assert [r[COLUMN] for r in csv_rows(post_export(login(sag), kind=Kind.ALERTS, include_restricted="on"))] == [""]
