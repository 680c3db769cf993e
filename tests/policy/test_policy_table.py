"""The one policy table: every URL and API route, every persona, the status it must answer.

Each row is (route, method) -> the object it is asked about and the expected status for each
persona, in the order of PERSONAS. All objects are in country A of region A, so officer A and
chair A are in scope and officer B and chair B are the nearest outsiders. A new route fails
`test_every_route_is_in_the_table` until someone decides here who may reach it.

Reading the codes: 200/201 allowed; 302 sent elsewhere (to sign in, or back to a page after
a refused form); 400 an allowed user whose empty form was refused; 403 may see but not act;
404 may not know it exists; 405 wrong method. To print what the app answers now (for review,
never to copy blindly): POLICY_PRINT=1 pytest tests/policy -s
"""

import json
import os

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .table import BODIES, POLICY, QUERIES, TARGETS
from .world import PERSONAS, build_world

# Routes outside the table, and why.
NOT_IN_TABLE = {
    # Django's admin guards itself (staff only); checked as a whole by test_admin_is_for_staff_only.
    "admin:*",
    # The schema's format variants (?format=json) are the same view as api-schema.
}


def _route_names(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _route_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def _listed(name):
    return name in {route for route, _method in POLICY} or f"{name.split(':')[0]}:*" in NOT_IN_TABLE


def test_every_route_is_in_the_table():
    missing = sorted({n for n in _route_names() if not _listed(n)})
    assert missing == [], f"Routes with no row in tests/policy/table.py: {missing}"


def test_the_table_names_only_routes_that_exist():
    names = set(_route_names())
    assert sorted({route for route, _m in POLICY} - names) == []


@pytest.fixture
def world(matrix, country_a, officer_a, officer_b, chair_a, chair_b, sag, eosg, owner, outsider):
    return build_world(
        country_a=country_a, officer_a=officer_a, officer_b=officer_b, chair_a=chair_a, chair_b=chair_b,
        sag=sag, eosg=eosg, owner=owner, outsider=outsider,
    )


def _answer(client, login, world, person, route, method):
    client.logout()
    if world.people[person] is not None:
        login(world.people[person])
    target = POLICY[(route, method)][0]
    url = reverse(route, kwargs=TARGETS[target](world)) + QUERIES.get(target, lambda w: "")(world)
    if method == "GET":
        return client.get(url).status_code
    if url.startswith("/api/"):
        body = json.dumps(BODIES.get(target, lambda w: {})(world))
        return client.generic(method, url, body, content_type="application/json").status_code
    return client.generic(method, url, b"", content_type="application/x-www-form-urlencoded").status_code


@pytest.mark.parametrize("route,method", sorted(POLICY), ids=[f"{r} {m}" for r, m in sorted(POLICY)])
def test_route_answers_as_the_table_says(client, login, world, route, method):
    expected = POLICY[(route, method)][1].split()
    assert len(expected) == len(PERSONAS)
    actual = [str(_answer(client, login, world, person, route, method)) for person in PERSONAS]
    if os.environ.get("POLICY_PRINT"):
        print(f'    ("{route}", "{method}"): ("{POLICY[(route, method)][0]}", "{" ".join(actual)}"),')
    wrong = {p: f"expected {e}, got {a}" for p, e, a in zip(PERSONAS, expected, actual, strict=True) if e != a}
    assert wrong == {}


def test_admin_is_for_staff_only(client, login, world):
    for person in PERSONAS:
        client.logout()
        if world.people[person] is not None:
            login(world.people[person])
        status = client.get(reverse("admin:index")).status_code
        assert (status == 200) == (person == "admin"), person
