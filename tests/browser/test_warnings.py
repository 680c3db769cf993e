"""An imminent alert in the browser: the chair sees it waiting, acknowledges it with a note, and the
officer who raised it reads on the alert's page that someone is on it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_acknowledges_an_imminent_alert_and_its_author_sees_the_timeline(
    visit, reference, country_a, officer_a, chair_a
):
    v = visit("officer")
    page = v.login(officer_a)
    page.get_by_role("link", name="Urgent alert", exact=True).click()
    page.get_by_label("What happened").fill("Militia massing near the camp")
    page.get_by_label("Where").fill("North")
    page.get_by_role("radio", name=re.compile("^Imminent")).check()
    page.get_by_label("Details").fill("Seen by the team this morning.")
    page.get_by_role("button", name="Send urgent alert").click()
    page.wait_for_url(re.compile(r"/alerts/\d+/$"))
    alert_page = page.url

    c = visit("chair")
    chair = c.login(chair_a)
    waiting = chair.get_by_role("link", name=re.compile(r"^Warnings"))
    expect(waiting).to_contain_text("1")
    waiting.click()
    c.check("open warnings")
    chair.get_by_role("link", name="Urgent alert", exact=True).click()
    c.check("warning")
    expect(chair.get_by_label("What will be done")).to_have_attribute("required", "")
    chair.get_by_label("What will be done").fill("Calling the RC now; on the review next week.")
    chair.get_by_role("button", name="Acknowledge").click()
    expect(chair.get_by_role("status")).to_contain_text("Acknowledged")
    c.check("acknowledged")
    c.assert_clean()

    page.goto(alert_page)
    expect(page.get_by_text("Calling the RC now; on the review next week.")).to_be_visible()
    v.check("the author sees the timeline")
    v.assert_clean()
