"""A published agenda's frozen region (its map and table) is rendered once per language and served from the
fragment cache after (issue 17, item 5); a change to the meeting renders it afresh."""

import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")


@pytest.fixture(autouse=True)
def fragment_cache(settings):
    """The fragments' cache as production has it (the other tests render every fragment)."""
    settings.CACHES = {**settings.CACHES, "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                        "LOCATION": "fragment-tests"}}
    caches["fragments"].clear()


@pytest.fixture
def published(region_a, chair_a, country_a, country_b, officer_a):
    file_scan(country_a, officer_a, Q3, rating=3, evidence="e")
    meeting = services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 9, 25), chair=chair_a)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    meeting.refresh_from_db()
    return meeting


def _region(client, meeting, language: str = "en") -> tuple[str, int]:
    """The frozen region's section of the agenda page, and the page's query count."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("reviews:meeting_detail", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    section = re.search(r'<section aria-labelledby="snapshot-heading">.*?</section>', html, re.S)
    assert section, "the frozen region is shown"
    return section.group(0), len(queries.captured_queries)


def test_the_frozen_region_is_drawn_once_then_read_from_the_cache(login, chair_a, published):
    client = login(chair_a)
    first, drawn = _region(client, published)
    again, cached = _region(client, published)
    assert again == first and 'id="region-map"' in first
    assert cached == drawn - 1  # the map's query for the countries' codes


def test_each_language_has_its_own_and_a_change_to_the_meeting_draws_it_again(login, chair_a, published):
    client = login(chair_a)
    english, _ = _region(client, published)
    french, _ = _region(client, published, "fr")
    assert "The region as the meeting saw it" in english and "The region as the meeting saw it" not in french
    services.meeting_advance(actor=chair_a, meeting=published, lock_version=published.lock_version)
    _, drawn = _region(client, published)
    _, cached = _region(client, published)
    assert cached == drawn - 1
