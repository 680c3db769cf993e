"""Every role's main pages in Arabic (right to left, on a phone) and in French: screenshots, axe, the page's
language and direction, the menu and the page's own words in the reader's language, and no reference text
(an indicator, a risk factor, a region, an entity) left in English."""

import pytest
from django.core.management import call_command
from django.utils import translation

from followup.management.commands.seed_demo import DEMO_PASSWORD
from hruf.models import Entity, Region, User
from scans.models import Indicator, RiskFactor, ScanRevision

from .test_phone import _pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))


@pytest.mark.parametrize(("language", "direction", "phone"), [("ar", "rtl", True), ("fr", "ltr", False)])
@pytest.mark.parametrize("username", ["officer.mali", "chair.westafrica", "sag.member", "owner.ohchr", "eosg.staff"])
def test_every_main_page_reads_in_the_readers_language(visit, demo, username, language, direction, phone):
    with translation.override(language):
        sign_out, inbox = translation.gettext("Sign out"), translation.gettext("Inbox")
    assert (sign_out, inbox) != ("Sign out", "Inbox"), f"{language} has no catalogue"
    v = visit(f"{username}-{language}", phone=phone)
    v.login(User.objects.get(username=username), password=DEMO_PASSWORD)
    v.context.add_cookies([{"name": "django_language", "value": language, "url": v.base_url}])
    english = _reference_texts()
    for path in _pages(username) + _draft_of(username):
        page = v.goto(path, f"{path} in {language}")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("html").get_attribute("dir") == direction
        nav = page.locator("header nav").text_content()  # folded on a phone: in the page, not on screen
        assert sign_out in nav and inbox in nav, (path, nav)
        if path != "/audit/":  # the trail names each object as it was recorded, in English, whoever acted
            text = page.locator("body").text_content()
            assert not [t for t in english if t in text], (path, [t for t in english if t in text])
    if phone:
        assert not v.overflowing(), v.widths
    v.assert_clean()


def _reference_texts() -> set[str]:
    """The English of every reference text the pages show (action titles are left out: a plan's actions keep
    the words their drafter wrote, which in the demo are English)."""
    texts = {t for i in Indicator.objects.all() for t in (i.name, i.question)}
    texts |= {f.name for f in RiskFactor.objects.all()} | {r.name for r in Region.objects.all()}
    return texts | {e.name for e in Entity.objects.all()}


def _draft_of(username: str) -> list[str]:
    """The officer's scan form, where the matrix's questions and guidance are read."""
    draft = ScanRevision.objects.drafts().filter(scan__country__iso3="MLI").first()
    return [f"/scans/{draft.scan_id}/edit/"] if username == "officer.mali" and draft else []
