"""The home page and the agenda pack kept for their reader until the data changes (hruf.figures_cache.kept_for_reader):
the next visit reads what the last drew, a write shows at once, and the kept forms work with the reader's token."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import Deployment
from hruf.figures_cache import csrf_placeholder
from hruf.models import Entity, Role
from reviews import services as review_services
from scans.periods import Period

from ..conftest import signed_in
from ..factories import CountryFactory, UserFactory, grant

# Commits like the app (no test transaction around it): a write moves the version when it commits.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("matrix", "kept_pages")]


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _get(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_the_officers_home_is_kept_and_starting_a_scan_from_it_shows_at_once(officer_a, country_a):
    _get(signed_in(officer_a), "/")  # another session of the same officer draws it
    client = signed_in(officer_a, csrf_checks=True)
    html, kept = _get(client, "/")
    assert "Continue draft" not in html
    start = reverse("scans:scan_start", args=[country_a.iso3])
    form = re.search(f'<form method="post" action="{start}"[^>]*>(.*?)</form>', html, re.S).group(1)
    sent = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]+)">', form))
    assert set(sent) == {"csrfmiddlewaretoken", "period"}
    response = client.post(start, sent, follow=True)  # with the reader's own token
    assert response.status_code == 200 and not [m for m in response.context["messages"] if m.level_tag == "error"]
    after, drawn = _get(client, "/")
    assert "Continue draft" in after and drawn > kept


def test_each_reader_has_a_home_of_their_own(officer_a, chair_a):
    officers, _ = _get(signed_in(officer_a), "/")
    chairs, _ = _get(signed_in(chair_a), "/")
    assert "My countries" in officers and "My countries" not in chairs


def test_the_agenda_pack_is_kept_and_a_write_shows_at_once(chair_a, region_a, country_a, country_b):
    meeting = review_services.rqr_create(actor=chair_a, region=region_a, quarter=Period.parse("2026-Q3"),
                                         date=dt.date(2026, 9, 25), chair=chair_a)
    client = signed_in(chair_a)
    url = reverse("reviews:meeting_print", args=[meeting.pk])
    first, drawn = _get(client, url)
    again, kept = _get(client, url)
    assert TOKEN.sub("", again) == TOKEN.sub("", first) and kept < drawn
    assert country_b.name not in first
    review_services.agenda_add(meeting=meeting, actor=chair_a, country=country_b, reason="Rising",
                               lock_version=meeting.lock_version)
    assert country_b.name in _get(client, url)[0]


@pytest.mark.parametrize(("persona", "url"), [
    ("owner", "/followup/mine/"), ("chair_a", "/followup/plans/"), ("eosg", "/followup/plans/"),
    ("sag", "/reviews/sag/candidates/"), ("chair_a", "/"), ("eosg", "/"), ("officer_a", "/countries/"),
    ("officer_a", "/countries/{iso3}/"), ("officer_a", "/alerts/"), ("chair_a", "/reviews/"),
    ("owner", "/followup/actions/{action}/"), ("owner", "/followup/plans/{plan}/"),
    ("eosg", "/followup/capacity/"), ("chair_a", "/followup/capacity/"),
])
def test_each_kept_page_is_read_again_until_a_write(request, make_plan, country_a, persona, url):
    action = make_plan(dt.date(2027, 1, 15), dt.date.today())
    url = url.format(iso3=country_a.iso3, action=action.pk, plan=action.plan_id)
    client = signed_in(request.getfixturevalue(persona))
    first, drawn = _get(client, url)
    again, kept = _get(client, url)
    assert TOKEN.sub("", again) == TOKEN.sub("", first) and kept < drawn
    Entity.objects.create(code="NEW", name="A new entity")  # any write to the app's tables
    assert _get(client, url)[1] == drawn


def test_the_surge_board_api_is_kept_for_every_eosg_reader_until_a_write(eosg, chair_a, country_a, region_b):
    ohchr = Entity.objects.get_or_create(code="OHCHR", defaults={"name": "OHCHR"})[0]
    today = dt.date.today()
    elsewhere = CountryFactory(name="Elsewhere", region=region_b)
    for country in (country_a, elsewhere):
        Deployment.objects.create(country=country, kind="hra", entity=ohchr, starts_on=today, arrived_on=today,
                                  created_by=eosg)
    colleague = grant(UserFactory(), Role.EOSG)
    first, drawn = _get(signed_in(eosg), "/api/v1/surge-board/")
    again, kept = _get(signed_in(eosg), "/api/v1/surge-board/")
    assert {row["iso3"] for row in json.loads(first)} == {country_a.iso3, elsewhere.iso3}
    assert again == first and kept < drawn
    assert _get(signed_in(colleague), "/api/v1/surge-board/") == (first, kept)  # EOSG reads every country alike
    chairs, _ = _get(signed_in(chair_a), "/api/v1/surge-board/")  # a chair's rows are their region's alone
    assert [row["iso3"] for row in json.loads(chairs)] == [country_a.iso3]
    Deployment.objects.create(country=country_a, kind="pda", entity=ohchr, starts_on=today + dt.timedelta(days=30),
                              created_by=eosg)
    after, queries = _get(signed_in(eosg), "/api/v1/surge-board/")
    coming = {row["iso3"]: [d["kind"] for d in row["coming"]] for row in json.loads(after)}
    assert queries == drawn and coming == {country_a.iso3: ["pda"], elsewhere.iso3: []}


def test_a_refused_forms_page_is_drawn_afresh_with_the_readers_own_token(owner, make_plan):
    """The page around a refused change is not kept, and its forms still carry a token that works."""
    action = make_plan(dt.date.today() + dt.timedelta(days=10), dt.date.today())
    client = signed_in(owner, csrf_checks=True)
    html, _queries = _get(client, reverse("followup:action_detail", args=[action.pk]))
    create = reverse("followup:benchmark_create", args=[action.pk])
    token = re.search(f'<form[^>]*action="{create}"[^>]*>.*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S)
    refused = client.post(create, {"csrfmiddlewaretoken": token.group(1), "description": "Adviser recruited",
                                   "due_date": "2030-12-31"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "Adviser recruited" in page and csrf_placeholder() not in page
    again = re.search(f'<form[^>]*action="{create}"[^>]*>.*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S)
    assert client.post(create, {"csrfmiddlewaretoken": again.group(1), "description": "Adviser recruited",
                                "due_date": (dt.date.today() + dt.timedelta(days=5)).isoformat()}).status_code == 302
