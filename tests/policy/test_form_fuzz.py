"""Every page's query parameters and every HTML form fed malformed values answer a 4xx or a page, never
a server error (issue 15, item 6; the API's own pass is schemathesis, tests/api/test_fuzz.py).

Each page of the policy table is asked, as an officer, a chair and EOSG, with each hostile value in every
query parameter the app reads and in every field its forms render; each POST route gets the same values
in the fields of the form that posts to it. `pytest tests/policy/test_form_fuzz.py -s` prints the counts."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ..conftest import pass_second_factor
from .table import POLICY, QUERIES, TARGETS
from .world import build_world

HOSTILE = ["%", "%zz'\"<x>", "9" * 23, "-1", "2026-Q9", "a\x00b", "é" * 300, "[]{}"]
# The query parameters the pages read (filters, paging, periods, sources of a new plan, ...).
PARAMETERS = ["page", "q", "period", "quarter", "region", "country", "status", "kind", "severity", "state",
              "revision", "item", "alert", "month", "clock_period", "gap_days", "entity", "from", "to", "next",
              "lang", "sort", "template"]
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
SKIP_FIELDS = {"csrfmiddlewaretoken"}


@pytest.fixture
def world(matrix, country_a, officer_a, officer_b, chair_a, chair_b, sag, eosg, owner, outsider):
    return build_world(country_a=country_a, officer_a=officer_a, officer_b=officer_b, chair_a=chair_a,
                       chair_b=chair_b, sag=sag, eosg=eosg, owner=owner, outsider=outsider)


def _url(world, route):
    target = POLICY[(route, "GET" if (route, "GET") in POLICY else "POST")][0]
    return reverse(route, kwargs=TARGETS[target](world)) + QUERIES.get(target, lambda w: "")(world)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return pass_second_factor(client, user)


def test_no_page_or_form_answers_a_server_error(world, officer_a, chair_a, eosg):
    pages = sorted(r for r, m in POLICY if m == "GET" and not reverse(r, kwargs=TARGETS[POLICY[(r, m)][0]](world))
                   .startswith("/api/"))
    posts = sorted(r for r, m in POLICY if m == "POST" and not _url(world, r).startswith("/api/"))
    requests, errors = 0, []
    for user in (officer_a, chair_a, eosg):
        client = _client(user)
        fields: dict[str, set[str]] = {}
        for route in pages:
            url = _url(world, route)
            page = client.get(url)
            if page.status_code == 200 and page.get("Content-Type", "").startswith("text/html"):
                for action, body in re.findall(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', page.content.decode(),
                                               re.S):
                    fields.setdefault(action or url.split("?")[0], set()).update(FIELD.findall(body))
            for value in HOSTILE:
                answer = client.get(url.split("?")[0], dict.fromkeys(PARAMETERS, value))
                requests += 1
                if answer.status_code >= 500:
                    errors.append((user.username, "GET", route, value, answer.status_code))
        for route in posts:
            url = _url(world, route)
            names = (fields.get(url.split("?")[0], set()) | {"lock_version", "reason", "title"}) - SKIP_FIELDS
            for value in HOSTILE:
                answer = client.post(url, dict.fromkeys(names, value))
                requests += 1
                if answer.status_code >= 500:
                    errors.append((user.username, "POST", route, value, answer.status_code))
            world = _refreshed(world)
    print(f"\nform and query fuzz: {requests} requests, {len(errors)} server errors")
    assert errors == []


def _refreshed(world):
    """Objects as they stand now (a fuzzed POST may have changed one the next URL needs)."""
    for name in ("scan", "draft", "alert", "rqr", "item", "sag", "plan", "action", "benchmark"):
        obj = getattr(world, name)
        obj.refresh_from_db()
    return world
