"""EOSG drafts a plan from the template library; an owner reports; time passes and the ladder climbs."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from followup.enforcement import sweep_overdue
from followup.models import Action
from reviews import services as reviews
from scans.periods import Period

from ..factories import file_scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _decided_review(country, officer, chair):
    """An RQR whose record adopts a follow-up plan for `country`, through the services."""
    today = timezone.localdate()
    quarter = Period.containing(today, "quarterly")
    file_scan(country, officer, quarter, rating=3, today=today)
    meeting = reviews.rqr_create(actor=chair, region=country.region, quarter=quarter, date=today, chair=chair)
    reviews.agenda_publish(meeting=meeting, actor=chair, lock_version=meeting.lock_version)
    item = meeting.items.get(country=country)
    reviews.item_record(
        item=item, actor=chair, lock_version=item.lock_version, summary="Discussed.", agreed_tier="",
        agreed_tier_reason="", decision="plan", decision_reason="Prevent the escalation before the elections.",
        dissent="",
    )
    return meeting


def test_it_plans_follow_up_the_owner_reports_and_overdue_reaches_eosg(
    visit, reference, country_a, officer_a, chair_a, eosg, owner
):
    meeting = _decided_review(country_a, officer_a, chair_a)
    today = timezone.localdate()

    v = visit("eosg")
    page = v.goto(f"/reviews/{meeting.pk}/", "meeting before login")  # redirected to the login form
    page = v.login(eosg, "eosg login")
    page.goto(v.url(f"/reviews/{meeting.pk}/"))
    v.check("recorded review")
    page.get_by_role("link", name="Draft a follow-up plan for Country A").click()
    v.check("plan from the template")
    deadlines = {
        "Deploy or extend a human rights adviser": today + dt.timedelta(days=3),
        "Strengthen the OHCHR presence": today + dt.timedelta(days=60),
    }
    for title, deadline in deadlines.items():
        row = page.locator("fieldset").filter(has=page.locator("legend", has_text=title))
        row.get_by_label("Include").check()
        row.get_by_label("Tailored to the case").fill(f"{title}, in the north first.")
        row.get_by_label("Owner").select_option(str(owner.pk))
        row.get_by_label("Deadline").fill(deadline.isoformat())
    page.get_by_role("button", name="Adopt the plan").click()
    page.wait_for_url(re.compile(r"/followup/plans/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Plan adopted")
    v.check("plan adopted")
    v.assert_clean()

    o = visit("owner")
    page = o.login(owner)
    page.get_by_role("link", name="My actions", exact=True).click()
    o.check("my actions")
    page.get_by_role("link", name="Deploy or extend a human rights adviser").click()
    o.check("action")
    update = page.locator("form[action$='/update/']")
    update.get_by_label("Status").select_option("in_progress")
    update.get_by_label("What happened").fill("Candidate identified; visa requested.")
    update.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Action updated")
    o.check("action updated")
    o.assert_clean()

    # Twenty-two days past the deadline: the sweep (beat runs it hourly) climbs the ladder to EOSG.
    later = timezone.now() + dt.timedelta(days=3 + 22)
    with time_machine.travel(later, tick=True):
        assert sweep_overdue().done >= 3
        late = visit("eosg-later")
        page = late.login(eosg, "eosg login later")
        page.get_by_role("link", name="Dashboard").click()
        late.check("dashboard with the overdue action")
        row = page.locator("#table-overdue tbody tr").filter(has_text="Deploy or extend a human rights adviser")
        expect(row).to_contain_text("Escalated to EOSG")
        expect(row).to_contain_text("22")
        expect(page.locator("[data-figure=overdue]")).to_have_text("1")
        row.get_by_role("link").click()
        late.check("overdue action")
        expect(page.get_by_text("3 / 3")).to_be_visible()
        late.assert_clean()
    assert Action.objects.get(title="Deploy or extend a human rights adviser").overdue_step == 3
