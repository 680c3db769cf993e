"""An agenda page kept for its reader until the data changes (reviews.views.meetings.meeting_detail, issue 17):
the chair's next visit reads it, a write shows at once, its forms carry the reader's own CSRF token, and no
reader is shown another's page."""

import datetime as dt
import gzip
import pickle
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hruf.figures_cache import csrf_placeholder
from hruf.kept_gzip import KeptHtml
from reviews import services
from scans.periods import Period

from ..conftest import signed_in
from ..factories import file_scan

# Commits like the app (no test transaction around it): a write moves the version when it commits.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("matrix", "kept_pages")]
Q3 = Period.parse("2026-Q3")


@pytest.fixture
def meeting(region_a, chair_a, country_a, country_b, officer_a):
    file_scan(country_a, officer_a, Q3, rating=3, evidence="e")
    return services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 9, 25), chair=chair_a)


def _page(client, meeting) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reviews:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _on_agenda(html: str) -> list[str]:
    return re.findall(r'<span class="badge text-bg-success">on the agenda</span>', html)


def test_the_chairs_next_visit_reads_the_kept_page_and_a_write_shows_at_once(chair_a, meeting, country_b):
    client = signed_in(chair_a)
    first, drawn = _page(client, meeting)
    again, kept = _page(client, meeting)
    assert _without_tokens(again) == _without_tokens(first)
    assert kept < drawn and kept <= 6  # the session, the user, the meeting, the navigation's own

    meeting.refresh_from_db()
    services.agenda_add(meeting=meeting, actor=chair_a, country=country_b, reason="Rising", lock_version=meeting.lock_version)
    after, redrawn = _page(client, meeting)
    assert redrawn > kept
    assert len(_on_agenda(after)) == len(_on_agenda(first)) + 1


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _without_tokens(html: str) -> str:
    assert csrf_placeholder() not in html
    return TOKEN.sub("", html)


def _add_form_token(html: str, meeting) -> str:
    """The token of a form on the kept part of the page (each form is given a token masked afresh)."""
    action = reverse("reviews:agenda_add", args=[meeting.pk])
    found = re.search(f'<form method="post" action="{action}"[^>]*><input type="hidden" ' + TOKEN.pattern, html)
    assert found and csrf_placeholder() not in html
    return found.group(1)


def test_a_kept_pages_forms_carry_the_readers_own_token_and_work(chair_a, meeting, country_b):
    _page(signed_in(chair_a), meeting)  # another session of the same chair leaves the page kept
    client = signed_in(chair_a, csrf_checks=True)
    html, _queries = _page(client, meeting)
    meeting.refresh_from_db()
    response = client.post(reverse("reviews:agenda_add", args=[meeting.pk]), {
        "csrfmiddlewaretoken": _add_form_token(html, meeting), "country": country_b.pk, "reason": "Rising",
        "lock_version": meeting.lock_version})
    assert response.status_code == 302
    assert meeting.items.filter(country=country_b, included=True).exists()


def test_no_reader_is_shown_a_page_kept_for_another(chair_a, officer_a, eosg, meeting):
    chairs, _ = _page(signed_in(chair_a), meeting)
    assert "Publish the agenda" in chairs
    eosgs, _ = _page(signed_in(eosg), meeting)
    assert "Publish the agenda" not in eosgs  # EOSG reads an RQR; its region's chair edits it


def test_a_refusal_is_shown_beside_its_field_though_the_page_was_kept(chair_a, meeting):
    client = signed_in(chair_a)
    _page(client, meeting)
    meeting.refresh_from_db()
    proposed = meeting.items.exclude(proposal_reasons=[]).first()
    response = client.post(reverse("reviews:agenda_remove", args=[meeting.pk, proposed.pk]), {
        "reason": "", "lock_version": meeting.lock_version}, follow=True)
    assert f'<div class="invalid-feedback d-block" id="remove-{proposed.pk}-error">' in response.content.decode()


def test_a_kept_agenda_goes_out_compressed_as_kept_with_the_readers_token_between(chair_a, meeting):
    client = signed_in(chair_a)
    _page(client, meeting)
    response = client.get(reverse("reviews:meeting_detail", args=[meeting.pk]), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    kept = [v for v in map(pickle.loads, caches["figures"]._cache.values()) if isinstance(v, KeptHtml)]
    assert len(kept) == 1 and len(kept[0].pieces) > 2  # split at each form's token
    assert all(piece in response.content for piece in kept[0].deflated)
    html = gzip.decompress(response.content).decode()
    assert _add_form_token(html, meeting) and "Publish the agenda" in html
