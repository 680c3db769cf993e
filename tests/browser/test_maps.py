"""The risk maps in Chromium: every country's shape is drawn (a malformed path draws nothing), the map's
table opens from the keyboard, and the maps pass axe in English and in French, with screenshots."""

import pytest
from django.core.management import call_command

from followup.management.commands.seed_demo import DEMO_PASSWORD
from hruf.models import Country, User
from reviews.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def _drawn(page, dom_id: str) -> dict[str, float]:
    """Each country group's drawn area on screen, by code."""
    return page.evaluate(
        """id => Object.fromEntries([...document.querySelectorAll(`#${id} g.map-country`)].map(g => {
             const box = g.getBoundingClientRect(); return [g.dataset.iso3, box.width * box.height]; }))""",
        dom_id,
    )


def test_the_world_map_draws_every_country_and_its_table_opens_from_the_keyboard(visit, demo):
    v = visit("eosg")
    v.login(User.objects.get(username="eosg.staff"), password=DEMO_PASSWORD)
    page = v.goto("/followup/dashboard/", "dashboard with the world map")
    drawn = _drawn(page, "risk-map")
    assert len(drawn) == Country.objects.count() == 193 and all(area > 0 for area in drawn.values()), drawn
    assert page.locator("#risk-map svg.risk-map-svg").bounding_box()["width"] > 800

    summary = page.locator("#risk-map summary")
    summary.focus()
    page.keyboard.press("Enter")
    table = page.locator("#risk-map table")
    assert table.is_visible() and table.locator("tbody tr").count() == 193
    page.keyboard.press("Tab")  # into the table: the first country's link
    assert page.evaluate("document.activeElement.closest('#risk-map table') !== null")
    v.check("dashboard with the map's table open")

    v.context.add_cookies([{"name": "django_language", "value": "fr", "url": v.base_url}])
    page = v.goto("/countries/", "country list in French")
    assert page.locator("#risk-map figcaption").inner_text().count("Analyse manquante") == 1
    v.assert_clean()


def test_the_chairs_review_page_draws_the_region(visit, demo):
    meeting = Meeting.objects.rqr().order_by("date").first()
    v = visit("chair")
    v.login(User.objects.get(username="chair.westafrica"), password=DEMO_PASSWORD)
    v.context.add_cookies([{"name": "django_language", "value": "fr", "url": v.base_url}])
    page = v.goto(f"/reviews/{meeting.pk}/", "review page with the region's map, in French")
    drawn = _drawn(page, "region-map")
    assert len(drawn) == Country.objects.filter(region=meeting.region).count() and all(drawn.values()), drawn
    v.assert_clean()
