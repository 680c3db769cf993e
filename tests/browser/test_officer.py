"""A field officer in the browser: a scan filed in two sittings, an urgent alert, the keyboard alone, no JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from scans.models import Alert, Scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rate(page, row: int, rating: str, trend: str = "stable", evidence: str = "", confidence: str = "medium"):
    page.check(f"#id_r-{row}-rating_{rating}")
    page.select_option(f"#id_r-{row}-trend", trend)
    page.fill(f"#id_r-{row}-evidence", evidence)
    page.select_option(f"#id_r-{row}-confidence", confidence)


def _start_scan(v):
    page = v.page
    page.get_by_role("button", name=re.compile(r"^Start .* scan$")).click()
    page.wait_for_url(re.compile(r"/scans/\d+/edit/$"))
    return v.check("scan form, new")


def test_it_files_a_scan_in_two_sittings_then_an_urgent_alert(visit, reference, country_a, officer_a):
    v = visit("officer")
    page = v.login(officer_a)
    _start_scan(v)
    rows = page.locator("fieldset.rating-choices").count()
    half = rows // 2

    # First sitting: half the matrix, then a draft.
    for i in range(half):
        _rate(page, i, "1", evidence=f"Seen by the team in week {i}.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    v.check("scan form, draft saved")

    page.get_by_role("link", name="Home", exact=True).click()
    v.check("home with a draft")
    page.get_by_role("link", name="Continue draft").click()
    v.check("scan form, draft reopened")
    expect(page.locator("#id_r-0-evidence")).to_have_value("Seen by the team in week 0.")
    expect(page.locator(f"#id_r-{half - 1}-rating_1")).to_be_checked()

    # Second sitting: the rest, one row severe without evidence: refused, nothing typed is lost.
    for i in range(half, rows - 1):
        _rate(page, i, "0")
    _rate(page, rows - 1, "3", trend="worsening", confidence="high")
    narrative = "Militias armed ahead of the elections; two villages attacked."
    page.fill("#id_narrative", narrative)
    page.get_by_role("button", name="Submit scan").click()
    v.check("scan form, refused")
    summary = page.locator("#error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Evidence")
    expect(page.locator(f"#id_r-{rows - 1}-rating_3")).to_be_checked()
    expect(page.locator(f"#id_r-{rows - 1}-evidence")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_narrative")).to_have_value(narrative)
    expect(page.locator(f"#id_r-{half - 1}-evidence")).to_have_value(f"Seen by the team in week {half - 1}.")

    # The summary links to the field; the officer follows it and completes the evidence.
    summary.get_by_role("link").first.click()
    expect(page.locator(f"#id_r-{rows - 1}-evidence")).to_be_focused()
    page.keyboard.type("Two attacks on villages, reported by the team and by OCHA.")
    page.get_by_role("button", name="Submit scan").click()
    # A redirect keeps the fragment the summary link put in the address.
    page.wait_for_url(re.compile(r"/scans/\d+/(#.*)?$"))
    expect(page.get_by_role("status")).to_contain_text("Scan submitted")
    v.check("scan submitted")

    # An urgent alert, from the home page.
    page.get_by_role("link", name="Home", exact=True).click()
    v.check("home after submitting")
    expect(page.locator(".required-note")).to_be_hidden()  # no required field here, so nothing to explain
    page.get_by_role("link", name="Urgent alert", exact=True).click()
    v.check("alert form")
    expect(page.locator(".required-note")).to_be_visible()
    page.fill("#id_title", "Armed men surround the camp")
    page.fill("#id_location", "North province")
    page.check("input[name=severity][value=imminent]")
    page.fill("#id_description", "Around 200 armed men since this morning.")
    page.fill("#id_evidence", "Call from the camp manager.")
    page.get_by_role("button", name="Send urgent alert").click()
    page.wait_for_url(re.compile(r"/alerts/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Urgent alert sent")
    v.check("alert sent")

    scan = Scan.objects.get(country=country_a)
    assert scan.is_submitted
    assert Alert.objects.filter(country=country_a, severity="imminent").exists()
    v.assert_clean()


def _tab_to(page, selector: str, limit: int = 250) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_it_completes_a_row_and_saves_with_the_keyboard_alone(visit, reference, country_a, officer_a):
    v = visit("keyboard")
    page = v.login(officer_a)
    _start_scan(v)

    page.locator("body").focus()
    _tab_to(page, "#id_r-0-rating")  # the group's checked radio: "Not rated yet"
    for _ in range(3):  # arrows move through 0, 1, 2 and check each
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_r-0-rating_2")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#id_r-0-trend")).to_be_focused()
    page.keyboard.type("W")
    page.keyboard.press("Tab")
    expect(page.locator("#id_r-0-evidence")).to_be_focused()
    page.keyboard.type("Leaflets calling for expulsions.")
    page.keyboard.press("Tab")
    expect(page.locator("#id_r-0-restricted")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.locator("#id_r-0-confidence")).to_be_focused()
    page.keyboard.type("H")
    _tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    v.check("scan form, saved with the keyboard")

    expect(page.locator("#id_r-0-rating_2")).to_be_checked()
    expect(page.locator("#id_r-0-trend")).to_have_value("worsening")
    expect(page.locator("#id_r-0-evidence")).to_have_value("Leaflets calling for expulsions.")
    expect(page.locator("#id_r-0-restricted")).to_be_checked()
    expect(page.locator("#id_r-0-confidence")).to_have_value("high")
    v.assert_clean()


def test_it_saves_a_draft_with_javascript_turned_off(visit, reference, country_a, officer_a):
    v = visit("nojs", javascript=False)
    page = v.login(officer_a)
    _start_scan(v)
    _rate(page, 0, "1", evidence="Reported by a partner.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    v.check("scan form without JavaScript, saved")
    expect(page.locator("#id_r-0-evidence")).to_have_value("Reported by a partner.")
    v.assert_clean()
