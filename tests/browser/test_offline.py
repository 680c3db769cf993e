"""Work is never lost: the scan draft saves itself as the officer types, a connection cut keeps the
input in the browser and gives it back, and an alert whose answer was lost is raised once."""

import re

import pytest
from playwright.sync_api import expect

from scans import services
from scans.models import Alert, Rating
from scans.periods import Period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(reference, country_a, officer_a):
    return services.scan_start(country=country_a, period=Period.parse("2026-Q4"), actor=officer_a,
                               today=Period.parse("2026-Q4").end)


def _evidence(scan, row: int) -> str:
    return Rating.objects.filter(revision__scan=scan).order_by("pk")[row].evidence


def test_the_draft_saves_itself_and_survives_a_cut_connection(visit, draft, officer_a):
    # Without the service worker: Chromium's offline emulation does not reach the requests a worker
    # lets through, and this journey is about the copy kept in the page, worker or not.
    v = visit("officer", service_workers="block")
    page = v.login(officer_a)
    v.goto(f"/scans/{draft.pk}/edit/", "scan form")
    status = page.locator("#keep-status")

    page.fill("#id_r-0-evidence", "Typed with the connection up.")
    expect(status).to_contain_text("Saved at")  # autosaved: no button pressed
    assert _evidence(draft, 0) == "Typed with the connection up."

    v.context.set_offline(True)
    page.fill("#id_r-1-evidence", "Typed after the connection was cut.")
    page.check("#id_r-1-rating_2")
    expect(status).to_contain_text("Offline")
    page.close()  # the officer gives up for now: the browser still holds the input
    assert _evidence(draft, 1) == ""

    v.context.set_offline(False)
    v.page = page = v.context.new_page()
    v.goto(f"/scans/{draft.pk}/edit/", "scan form, unsent changes offered")
    offer = page.locator("#keep-offer")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="Restore them").click()
    expect(page.locator("#id_r-1-evidence")).to_have_value("Typed after the connection was cut.")
    expect(page.locator("#id_r-1-rating_2")).to_be_checked()
    expect(page.locator("#keep-status")).to_contain_text("Saved at")
    assert _evidence(draft, 1) == "Typed after the connection was cut."
    assert Rating.objects.filter(revision__scan=draft).order_by("pk")[1].rating == 2
    # Saved: the next visit offers nothing.
    v.goto(f"/scans/{draft.pk}/edit/", "scan form, nothing to restore")
    expect(page.locator("#keep-offer")).to_be_hidden()
    v.assert_clean()


def test_an_alert_whose_answer_was_lost_is_raised_once(visit, reference, country_a, officer_a):
    v = visit("alert", service_workers="block")  # page.route sees the form's POST only without a worker
    page = v.login(officer_a)
    v.goto(f"/countries/{country_a.iso3}/alerts/new/", "alert form")
    page.fill("#id_title", "Armed men surround the camp")
    page.fill("#id_location", "North province")
    page.check("input[name=severity][value=imminent]")
    page.fill("#id_description", "Around 200 armed men since this morning.")

    def lose_the_answer(route):
        route.fetch()  # the server raises the alert ...
        route.abort("internetdisconnected")  # ... and the connection drops before the answer arrives

    page.route(re.compile(r".*/alerts/new/$"), lambda route: lose_the_answer(route)
               if route.request.method == "POST" else route.continue_())
    page.get_by_role("button", name="Send urgent alert").click()
    page.wait_for_timeout(500)
    assert Alert.objects.count() == 1
    page.unroute(re.compile(r".*/alerts/new/$"))

    v.goto(f"/countries/{country_a.iso3}/alerts/new/", "alert form, unsent changes offered")
    page.locator("#keep-offer").get_by_role("button", name="Restore them").click()
    expect(page.locator("#id_title")).to_have_value("Armed men surround the camp")
    page.get_by_role("button", name="Send urgent alert").click()
    page.wait_for_url(re.compile(r"/alerts/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("already sent")
    assert Alert.objects.count() == 1
    v.check("alert, sent once")
    v.goto(f"/countries/{country_a.iso3}/alerts/new/", "alert form, the sent copy forgotten")
    expect(page.locator("#keep-offer")).to_be_hidden()
    v.assert_clean()


def test_the_scan_form_opens_offline_after_a_first_visit(visit, draft, officer_a):
    v = visit("offline")
    page = v.login(officer_a)
    v.goto(f"/scans/{draft.pk}/edit/", "scan form, first visit")
    page.evaluate("navigator.serviceWorker.ready")
    v.goto(f"/scans/{draft.pk}/edit/", "scan form, kept by the worker")  # now under its control: kept
    # The worker kept the form. (Chromium's offline emulation may let the worker's own fetch through,
    # so the reload below proves the page opens and keeps input offline; this proves what it falls back to.)
    page.wait_for_function("caches.open('hruf-forms-v1').then(c => c.match(location.href)).then(r => !!r)")

    v.context.set_offline(True)
    page.reload()
    v.check("scan form opened offline")
    expect(page.locator("#keep-status")).to_contain_text("Offline")
    page.fill("#id_r-0-evidence", "Typed with no connection at all.")
    v.context.set_offline(False)  # the browser's "online" event sends what was kept
    expect(page.locator("#keep-status")).to_contain_text("Saved at")
    assert _evidence(draft, 0) == "Typed with no connection at all."

    # Signing out forgets the kept pages and copies.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert page.evaluate("caches.has('hruf-forms-v1')") is False
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hruf:keep:')).length") == 0
    v.assert_clean()


def test_a_scan_sent_after_the_session_expired_comes_back_after_signing_in(visit, draft, officer_a):
    """Without JavaScript (so no autosave hides the case): the session ends while the officer types; the
    save is held, and after signing in again the officer sends it as typed."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from hruf.middleware import IDLE_SEEN_KEY

    from .conftest import PASSWORD

    typed = "Forty minutes of notes: militia radio names the quarter; two shops burnt."
    v = visit("expired", javascript=False)
    page = v.login(officer_a)
    v.goto(f"/scans/{draft.pk}/edit/", "scan form")
    page.check("#id_r-0-rating_2")
    page.fill("#id_r-0-evidence", typed)
    for row in Session.objects.all():  # the officer typed for longer than the idle timeout
        session = SessionStore(session_key=row.session_key)
        session[IDLE_SEEN_KEY] -= settings.SESSION_IDLE_TIMEOUT * 60 + 60
        session.save()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    v.check("signed out, input held")
    expect(page.locator("main")).to_contain_text("What you were sending is kept")
    assert _evidence(draft, 0) == ""

    page.get_by_label("Username").fill(officer_a.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(rf"/scans/{draft.pk}/edit/"))
    v.check("held input offered back")
    expect(page.get_by_role("heading", name="Send what you typed?")).to_be_visible()
    expect(page.locator("main")).to_contain_text(typed)
    page.get_by_role("button", name="Send it now").click()
    v.check("held input sent")
    assert _evidence(draft, 0) == typed
    assert Rating.objects.filter(revision__scan=draft).order_by("pk")[0].rating == 2
    v.assert_clean()
