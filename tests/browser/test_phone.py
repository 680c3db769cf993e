"""On a 360 px phone: every main page of every role fits the screen, the menu folds, and an officer
completes the scan matrix by touch, one card per indicator."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from followup.management.commands.seed_demo import DEMO_PASSWORD
from followup.models import Action, Plan
from hruf.models import User
from hruf.permissions import plans_visible_to
from reviews.models import Meeting
from scans.models import EarlyWarning, Scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def _pages(username: str) -> list[str]:
    """The role's main pages: its lists, and the first of each kind of detail it may read."""
    user = User.objects.get(username=username)
    meeting = Meeting.objects.rqr().order_by("date").first()
    common = ["/", "/countries/", "/countries/MLI/", "/alerts/", "/warnings/", "/reviews/", "/followup/plans/", "/inbox/",
              "/no-such-page/"]
    plan = plans_visible_to(user, Plan.objects.all()).first()
    if plan is not None:
        common.append(f"/followup/plans/{plan.pk}/")
    scan = Scan.objects.filter(country__iso3="MLI", submitted_revision__isnull=False).order_by("-period_start").first()
    extra = {
        "officer.mali": [f"/scans/{scan.pk}/", "/followup/mine/"],
        "chair.westafrica": [f"/reviews/{meeting.pk}/", f"/reviews/{meeting.pk}/print/",
                             f"/warnings/{EarlyWarning.objects.first().pk}/"],
        "sag.member": ["/reviews/sag/candidates/", "/followup/capacity/"],
        "owner.ohchr": ["/followup/mine/", f"/followup/actions/{Action.objects.filter(owner__username='owner.ohchr').first().pk}/"],
        "eosg.staff": ["/followup/dashboard/", "/audit/", "/briefings/", "/exports/", f"/reviews/{meeting.pk}/",
                       "/followup/capacity/", "/followup/capacity/deployments/new/"],
    }
    return common + extra[username]


@pytest.mark.parametrize("username", ["officer.mali", "chair.westafrica", "sag.member", "owner.ohchr", "eosg.staff"])
def test_every_main_page_fits_a_phone(visit, demo, username):
    v = visit(username, phone=True)
    v.login(User.objects.get(username=username), password=DEMO_PASSWORD)
    for path in _pages(username):
        v.goto(path, path)
    # Every page was measured, and none scrolls sideways (assert_clean also checks axe and the origin).
    assert len(v.widths) >= len(_pages(username)) and not v.overflowing(), v.widths
    print(f"\n{username} page widths at 360 px: {v.widths}")  # `pytest -s`: the figures for the record
    v.assert_clean()


def test_the_menu_folds_and_opens_without_javascript(visit, demo):
    v = visit("menu", phone=True, javascript=False)
    page = v.login(User.objects.get(username="officer.mali"), password=DEMO_PASSWORD)
    plans = page.get_by_role("link", name="Plans", exact=True)
    expect(plans).to_be_hidden()
    page.get_by_text("Menu", exact=True).tap()
    expect(plans).to_be_visible()
    plans.tap()
    page.wait_for_url(re.compile(r"/followup/plans/$"))
    v.check("plans, reached from the menu")
    v.assert_clean()


def test_an_officer_completes_the_matrix_by_touch(visit, demo):
    officer = User.objects.get(username="officer.mali")
    draft = Scan.objects.get(country__iso3="MLI", submitted_revision__isnull=True)
    v = visit("touch", phone=True)
    page = v.login(officer, password=DEMO_PASSWORD)
    v.goto(f"/scans/{draft.pk}/edit/", "scan form on a phone")
    cards = page.locator("table.matrix tr:has(fieldset.rating-choices)")
    count = cards.count()
    assert count >= 9
    for i in range(count):
        card = cards.nth(i)
        card.get_by_label("1 · Present").tap()  # the whole label is the target, not a one-character select
        box = card.get_by_label("1 · Present").bounding_box()
        assert box["height"] >= 18 and box["width"] >= 18
        card.get_by_label(re.compile("^Evidence")).fill(f"Seen on a field visit, indicator {i}.")
    page.get_by_role("button", name="Save draft").tap()
    expect(page.get_by_role("status").first).to_contain_text("Draft saved")
    v.check("scan form saved on a phone")
    revision = draft.revisions.get(status="draft")
    assert set(revision.ratings.values_list("rating", flat=True)) == {1}
    assert sum(r.evidence.startswith("Seen on a field visit") for r in revision.ratings.all()) == count
    v.assert_clean()
