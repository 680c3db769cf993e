"""What each kind of export holds, in CSV and in XLSX (read back cell by cell with openpyxl)."""

import datetime as dt

from .conftest import FORMULA
from .files import csv_rows, post_export, xlsx_rows, xlsx_sheet


def _scans_csv(client):
    return csv_rows(post_export(client, kind="scans"))


def test_it_exports_scans_one_row_per_scan_and_indicator(world, login, eosg):
    rows = _scans_csv(login(eosg))
    assert len(rows) == 10 + 11 + 10 + 10  # A Q2, A Q3 (with its case-specific indicator), B Q3, C Q3
    assert [(r["Country"], r["Period"]) for r in rows[::10]][:2] == [("Country A", "2026-Q2"), ("Country A", "2026-Q3")]
    a_q3 = [r for r in rows if r["Country"] == "Country A" and r["Period"] == "2026-Q3"]
    first = a_q3[0]
    assert first["Scan"] == str(world.scan_a.pk)
    assert (first["Indicator code"], first["Rating (0-3)"], first["Trend"], first["Confidence"]) == (
        "hate-speech", "3", "Stable", "Medium"
    )
    assert (first["Score"], first["Tier"], first["Reporting"], first["Region"]) == ("100", "Very high", "Quarterly", "Region A")
    assert first["Submitted at (UTC)"] == "2026-09-25 12:00:00"
    assert (first["Evidence"], first["Restricted evidence"]) == ("OPEN-A market burned", "no")
    case = a_q3[-1]
    assert case["Indicator code"].startswith("case:")
    assert (case["Indicator"], case["Case-specific"]) == ("Clashes between herders and farmers", "yes")


def test_it_neutralises_evidence_that_would_run_as_a_formula_in_csv(world, login, eosg):
    a_q2 = [r for r in _scans_csv(login(eosg)) if r["Period"] == "2026-Q2"]
    assert {r["Evidence"] for r in a_q2} == {"'" + FORMULA}


def test_it_exports_scans_as_xlsx_with_numbers_dates_and_inert_text(world, login, eosg):
    response = post_export(login(eosg), kind="scans", format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="hruf-scans-2026-09-25.xlsx"'
    rows = xlsx_rows(response.content)
    assert len(rows) == 41
    first = rows[0]
    assert (first["Country"], first["Period"], first["Score"], first["Rating (0-3)"]) == ("Country A", "2026-Q2", 33, 1)
    assert first["Submitted at (UTC)"] == dt.datetime(2026, 9, 25, 12, 0)
    assert first["Evidence"] == "'" + FORMULA
    sheet = xlsx_sheet(response.content)
    evidence_column = [c.value for c in sheet[1]].index("Evidence")
    cell = sheet.cell(row=2, column=evidence_column + 1)
    assert cell.data_type == "s"  # text, not a formula ("f")
    assert sheet.freeze_panes == "A2"


def test_it_exports_alerts_with_text_neutralised(world, login, chair_a):
    rows = csv_rows(post_export(login(chair_a), kind="alerts"))
    assert [r["Country"] for r in rows] == ["Country A", "Country B"]
    a, b = rows
    assert (a["What happened"], a["Where"], a["Severity"]) == (
        "'-1 attack on the market", "'@North", "Severe: atrocity crimes may be under way"
    )
    assert (a["Evidence and sources"], a["Restricted evidence"], a["Raised by"]) == ("", "yes", "officer_a")
    assert (b["Evidence and sources"], b["Restricted evidence"]) == ("ALERT-OPEN-B photos", "no")
    assert a["Raised at (UTC)"] == "2026-09-25 12:00:00"


def test_it_exports_alerts_as_xlsx(world, login, chair_a):
    rows = xlsx_rows(post_export(login(chair_a), kind="alerts", format="xlsx").content)
    assert [(r["Alert"], r["What happened"]) for r in rows] == [
        (world.alert_a.pk, "'-1 attack on the market"), (world.alert_b.pk, "Roadblocks")
    ]
    assert rows[0]["Evidence and sources"] is None


def test_it_exports_actions_with_plan_owner_deadline_status_and_benchmarks(world, login, eosg):
    rows = csv_rows(post_export(login(eosg), kind="actions"))
    assert [r["Country"] for r in rows] == ["Country A", "Country C"]
    a = rows[0]
    assert (a["Action"], a["Plan title"], a["Action title"], a["Lead entity"], a["Owner"]) == (
        str(world.action_a.pk), "Protect witnesses", "Deploy monitors", "OHCHR", "owner"
    )
    assert (a["Deadline"], a["Status"], a["Days overdue"], a["Restricted"]) == ("2026-10-25", "Planned", "0", "no")
    assert (a["Benchmarks"], a["Benchmarks met"], a["Next benchmark due"]) == ("2", "1", "2026-10-15")


def test_it_counts_days_overdue_from_the_day_of_the_export(world, login, eosg, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 28, 9, tzinfo=dt.UTC), tick=False)
    rows = xlsx_rows(post_export(login(eosg), kind="actions", format="xlsx").content)
    assert [(r["Action title"], r["Days overdue"]) for r in rows] == [
        ("Deploy monitors", 3), ("Engage the authorities of C", 23)
    ]
    assert rows[0]["Deadline"] == dt.datetime(2026, 10, 25)
    assert rows[0]["Benchmarks met"] == 1


def test_it_exports_review_records(world, login, chair_a):
    (row,) = csv_rows(post_export(login(chair_a), kind="records"))
    assert (row["Meeting kind"], row["Quarter"], row["Meeting region"], row["Country"]) == (
        "Regional Quarterly Review", "2026-Q3", "Region A", "Country A"
    )
    assert (row["Computed score"], row["Computed risk level"], row["Agreed risk level"]) == ("100", "Very high", "High")
    assert (row["Why the agreed level differs"], row["Decision"]) == ("Army left the north", "Adopt a follow-up plan")
    assert (row["Summary of the discussion"], row["Notes of disagreement"], row["Recorded by"]) == (
        "'+Discussed at length", "DPPA disagreed", "chair_a"
    )


def test_it_exports_review_records_as_xlsx(world, login, chair_a):
    (row,) = xlsx_rows(post_export(login(chair_a), kind="records", format="xlsx").content)
    assert (row["Computed score"], row["Meeting date"]) == (100, dt.datetime(2026, 9, 25))
    assert row["Summary of the discussion"] == "'+Discussed at length"


def test_it_writes_headers_in_the_language_of_the_page(world, client, login, eosg):
    login(eosg)
    response = client.post("/exports/", {"kind": "actions", "format": "csv"}, HTTP_ACCEPT_LANGUAGE="fr")
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0].split(",")
    assert {"Pays", "Région", "Échéance"} <= set(header)
