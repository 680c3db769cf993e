"""A chair builds, orders (by dragging a card), publishes and records an agenda of ten countries,
and the page loads it takes are counted: the figure the closing note of issue 14 gives."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hruf.models import Role
from reviews.models import AgendaItem, Meeting
from scans.periods import Period

from ..factories import CountryFactory, UserFactory, file_scan, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_chair_builds_and_records_an_agenda_of_ten_in_counted_page_loads(visit, reference, region_a, chair_a):
    today = timezone.localdate()
    quarter = Period.containing(today, "quarterly")
    officer = UserFactory(username="officer_ten")
    for i in range(10):  # six at high risk (proposed), four low (added by the chair)
        country = CountryFactory(name=f"Country {i:02d}", region=region_a)
        grant(officer, Role.OFFICER, country=country)
        file_scan(country, officer, quarter, rating=3 if i < 6 else 0, today=today)

    v = visit("chair")
    page = v.login(chair_a)
    loads = []
    page.on("load", lambda p: loads.append(p.url))

    page.get_by_role("link", name="Reviews", exact=True).click()
    form = page.locator("section", has=page.get_by_role("heading", name="Prepare a Regional Quarterly Review"))
    form.get_by_label("Region").select_option(label="Region A")
    form.get_by_label("Quarter").fill(quarter.code)
    form.get_by_label("Meeting date").fill((today + dt.timedelta(days=10)).isoformat())
    form.get_by_role("button", name="Create the review and propose an agenda").click()
    page.wait_for_url(re.compile(r"/reviews/\d+/$"))
    agenda = page.locator("section[aria-labelledby=agenda-heading]")
    proposed = agenda.locator("h3 a").all_inner_texts()
    assert len(proposed) == 6

    for i in range(6, 10):
        name = f"Country {i:02d}"
        row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))
        row.get_by_role("textbox").fill("The chair wants it discussed.")
        row.get_by_role("button", name="Add").click()
        expect(page.get_by_role("status")).to_contain_text(f"{name} added to the agenda")
    v.check("ten countries on the agenda")

    cards = agenda.locator("article")
    before = cards.locator("h3 a").all_inner_texts()
    assert len(before) == 10
    expect(page.get_by_text("Or drag a country's card onto another")).to_be_visible()  # the script is on
    # The second card dragged by its handle onto the first, across the line between them (mid-screen).
    cards.nth(1).evaluate("card => card.scrollIntoView({block: 'center', behavior: 'instant'})")
    first = cards.nth(0).bounding_box()
    handle = cards.nth(1).locator("[data-drag-handle]").bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(first["x"] + 6, first["y"] + first["height"] - 10, steps=8)
    page.mouse.up()
    expect(page.get_by_role("status")).to_contain_text("The agenda's order is saved")
    after = agenda.locator("article h3 a").all_inner_texts()
    assert after == [before[1], before[0], *before[2:]]
    v.check("ordered by dragging")

    page.get_by_role("link", name="Publish the agenda (freezes it)…").click()
    page.get_by_role("button", name="Publish and freeze the agenda").click()
    expect(page.get_by_role("status")).to_contain_text("Agenda published")

    for article in agenda.locator("article").all():
        name = article.locator("h3 a").inner_text()
        article.get_by_label("Summary of the discussion").fill(f"Discussed {name}.")
        article.get_by_label("Decision", exact=True).select_option("monitor")
        article.get_by_role("button", name=f"Record the decision on {name}").click()
        expect(page.get_by_role("status")).to_contain_text(f"Decision on {name} recorded")
    v.check("ten decisions recorded")

    meeting = Meeting.objects.rqr().get()
    assert AgendaItem.objects.filter(meeting=meeting, included=True).exclude(decision="").count() == 10
    # Reviews page, created agenda, 4 additions, 1 reorder, publish confirmation and publish, 10 records.
    print(f"\npage loads to build and record an agenda of ten: {len(loads)}")
    assert len(loads) == 1 + 1 + 4 + 1 + 2 + 10, loads
    v.assert_clean()
