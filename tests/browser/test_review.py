"""A regional review chair builds, publishes and records an RQR; the SAG takes the escalated case."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import AgendaItem, Meeting
from scans.periods import Period

from ..factories import CountryFactory, file_scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_runs_a_review_and_the_sag_takes_the_escalated_country(
    visit, reference, region_a, country_a, country_b, officer_a, officer_b, chair_a, sag
):
    today = timezone.localdate()
    quarter = Period.containing(today, "quarterly")
    file_scan(country_a, officer_a, quarter, rating=3, today=today)
    file_scan(country_b, officer_b, quarter, rating=1, today=today)
    quiet = CountryFactory(name="Country Q", region=region_a)  # no scan: flagged, never dropped
    meeting_day = (today + dt.timedelta(days=10)).isoformat()

    v = visit("chair")
    page = v.login(chair_a)
    page.get_by_role("link", name="Reviews", exact=True).click()
    v.check("review queue")
    form = page.locator("section", has=page.get_by_role("heading", name="Prepare a Regional Quarterly Review"))
    form.get_by_label("Region").select_option(label="Region A")
    form.get_by_label("Quarter").fill(quarter.code)
    form.get_by_label("Meeting date").fill(meeting_day)
    form.get_by_role("button", name="Create the review and propose an agenda").click()
    page.wait_for_url(re.compile(r"/reviews/\d+/$"))
    v.check("agenda proposed")

    agenda = page.locator("section[aria-labelledby=agenda-heading]")
    proposed = [h.strip() for h in agenda.locator("h3").all_inner_texts()]
    assert any("Country A" in h for h in proposed)

    # Build from the proposal: add what the app left out, then put it first.
    for name in ("Country B", "Country Q"):
        if any(name in h for h in proposed):
            continue
        row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))
        row.get_by_role("textbox").fill("The chair wants it discussed.")
        row.get_by_role("button", name="Add").click()
        expect(page.get_by_role("status")).to_contain_text(f"{name} added to the agenda")
        v.check(f"{name} added")
    last = agenda.locator("article").last
    last_name = last.locator("h3 a").inner_text()
    last.get_by_role("button", name="Move up").click()
    v.check("agenda reordered")
    titles = agenda.locator("h3").all_inner_texts()
    assert last_name in titles[-2]

    page.get_by_role("link", name="Publish the agenda (freezes it)…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publish the agenda of")
    v.check("publishing asks first")
    page.get_by_role("button", name="Publish and freeze the agenda").click()
    expect(page.get_by_role("status")).to_contain_text("Agenda published")
    v.check("agenda published")

    # Record each country's outcome; Country A goes to the SAG.
    for article in agenda.locator("article").all():
        name = article.locator("h3 a").inner_text()
        article.get_by_label("Summary of the discussion").fill(f"Discussed {name}.")
        if name == "Country A":
            article.get_by_label("Decision", exact=True).select_option("escalate")
            article.get_by_label("Reason for the decision").fill("Severe on every indicator; militias armed before elections.")
        else:
            article.get_by_label("Decision", exact=True).select_option("monitor")
        article.get_by_role("button", name=f"Record the decision on {name}").click()
        expect(page.get_by_role("status")).to_contain_text(f"Decision on {name} recorded")
        v.check(f"{name} recorded")
    v.assert_clean()

    # The SAG member finds the case, prepares a meeting and takes it.
    s = visit("sag")
    page = s.login(sag)
    page.get_by_role("link", name="Reviews", exact=True).click()
    s.check("reviews for the SAG")
    page.get_by_role("link", name="Cases waiting for the Senior Action Group").click()
    s.check("SAG candidates")
    expect(page.get_by_role("listitem").filter(has_text="Country A")).to_contain_text("militias armed")
    page.get_by_role("link", name="Reviews", exact=True).click()
    sag_form = page.locator("section", has=page.get_by_role("heading", name="Prepare a Senior Action Group meeting"))
    sag_form.get_by_label("Meeting date").fill((today + dt.timedelta(days=20)).isoformat())
    sag_form.get_by_role("button", name="Create the SAG meeting").click()
    page.wait_for_url(re.compile(r"/reviews/\d+/$"))
    s.check("SAG meeting created")
    candidate = page.get_by_role("listitem").filter(has_text="Country A")
    candidate.get_by_role("button", name="Add to this agenda").click()
    expect(page.get_by_role("status")).to_contain_text("Country A added to the SAG agenda")
    s.check("SAG agenda with the case")
    item = page.locator("section[aria-labelledby=agenda-heading] article").filter(has_text="Country A")
    expect(item).to_contain_text("Severe on every indicator")

    sag_meeting = Meeting.objects.sag().get()
    assert AgendaItem.objects.filter(meeting=sag_meeting, country=country_a, source_item__decision="escalate").exists()
    assert quiet.pk  # on the ranked table even without a scan
    s.assert_clean()
