"""The dashboard's figures, page and API, kept between readers until a write changes the data
(hruf/figures_cache.py; issue 17): the next reader after a write sees it, whatever wrote it."""

import gzip
import pickle
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from followup import services
from followup.models import Action, ActionStatus, Plan
from hruf.kept_gzip import KeptHtml
from hruf.models import Entity
from scans.models import Alert

from ..conftest import pass_second_factor
from ..factories import UserFactory, grant

# Commits like the app (no test transaction around it): a write moves the version when it commits.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("kept_pages")]
PAGE = reverse("followup:dashboard")
API = "/api/v1/dashboard/"
# The kept page's own reads, the same for every size of data: the session, the user and the navigation's
# (the reader's roles, unread count and raised warnings; the first two from the floor cache in production).
KEPT_PAGE_QUERIES = 5


@pytest.fixture
def action(country_a, eosg, owner):
    alert = Alert.objects.create(country=country_a, title="Attack", location="North", severity="serious",
                                 description="d", raised_by=eosg)
    plan = Plan.objects.create(country=country_a, title="Plan", source_alert=alert, created_by=eosg)
    entity = Entity.objects.get(code="OHCHR")
    return Action.objects.create(plan=plan, title="Talk", lead_entity=entity, owner=owner, status=ActionStatus.PLANNED,
                                 deadline="2030-01-01")


def _status_counts(html: str) -> dict[str, int]:
    return {k: int(n) for k, n in re.findall(r'<tr data-status="(\w+)"><th scope="row">[^<]*</th><td class="text-end">(\d+)</td>', html)}


def _get(client, url=PAGE, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def test_the_second_reader_gets_the_kept_page_and_the_next_after_a_write_sees_it(client, login, eosg, owner, action):
    first, computed = _get(login(eosg))
    assert _status_counts(first.content.decode())["planned"] == 1

    other_eosg = grant(UserFactory(username="eosg2"), "eosg")
    _get(login(other_eosg))  # a new role is a write: computed afresh
    client.logout()
    client = login(other_eosg)  # a sign-in is not: its last login is no figure
    again, kept = _get(client)
    assert kept == KEPT_PAGE_QUERIES < computed
    assert _status_counts(again.content.decode()) == _status_counts(first.content.decode())

    services.action_update(action=action, actor=owner, lock_version=action.lock_version, status=ActionStatus.IN_PROGRESS,
                           text="Started")
    after, recomputed = _get(client)
    assert recomputed == computed
    counts = _status_counts(after.content.decode())
    assert (counts["planned"], counts["in_progress"]) == (0, 1)


def test_a_write_around_the_services_is_seen_too(login, eosg, action):
    client = login(eosg)
    _get(client)
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.BLOCKED)  # as a sweep or the shell might
    assert _status_counts(_get(client)[0].content.decode())["blocked"] == 1


def test_each_filter_and_language_has_figures_of_its_own(login, eosg, action, region_b):
    client = login(eosg)
    assert _status_counts(_get(client)[0].content.decode())["planned"] == 1
    elsewhere = _get(client, region=region_b.pk)[0].content.decode()
    assert _status_counts(elsewhere)["planned"] == 0
    french = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Actions par état" in french and "Actions by status" not in french


def test_the_api_keeps_its_figures_alike(eosg, owner, action):
    client = APIClient()
    client.force_login(eosg)
    pass_second_factor(client, eosg)
    first, computed = _get(client, API)
    assert first.json()["actions"]["total"] == 1
    again, kept = _get(client, API)
    assert again.json() == first.json() and kept < computed
    Action.objects.create(plan=action.plan, title="Second", lead_entity=action.lead_entity, owner=owner,
                          status=ActionStatus.PLANNED, deadline="2030-01-01")
    assert _get(client, API)[0].json()["actions"]["total"] == 2


def test_the_kept_figures_go_out_compressed_as_they_were_kept(login, eosg, action):
    """The response's gzip reuses the kept part's compression (hruf/kept_gzip.py) and reads back whole."""
    client = login(eosg)
    plain = client.get(PAGE).content.decode()
    response = client.get(PAGE, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    page = gzip.decompress(response.content).decode()
    assert _status_counts(page) == _status_counts(plain) and page.endswith("</html>\n")
    assert page.count('<section aria-labelledby="summary"') == 1
    # LocMemCache's own store: the kept figures, whose deflated bytes the response carries as they are.
    kept = [v for v in map(pickle.loads, caches["figures"]._cache.values()) if isinstance(v, KeptHtml)]
    assert len(kept) == 1 and kept[0].deflated[0] in response.content
