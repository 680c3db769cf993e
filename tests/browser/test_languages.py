"""Every role's main pages in Arabic (right to left, on a phone) and in French: screenshots, axe, the page's
language and direction, the menu and the page's own words in the reader's language."""

import pytest
from django.core.management import call_command
from django.utils import translation

from followup.management.commands.seed_demo import DEMO_PASSWORD
from hruf.models import User

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
    for path in _pages(username):
        page = v.goto(path, f"{path} in {language}")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("html").get_attribute("dir") == direction
        nav = page.locator("header nav").text_content()  # folded on a phone: in the page, not on screen
        assert sign_out in nav and inbox in nav, (path, nav)
    if phone:
        assert not v.overflowing(), v.widths
    v.assert_clean()
