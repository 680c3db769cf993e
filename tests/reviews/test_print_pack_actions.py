"""The RQR print pack lists each country's 10 most urgent open actions and counts the rest."""

import datetime as dt
import random
import re

import pytest
from django.urls import reverse

from followup.models import Action, Plan
from hruf.models import Entity
from reviews import services
from scans.models import Alert
from scans.periods import Period

from ..factories import CountryFactory, file_scan
from ..nav import warning_badge_queries

pytestmark = pytest.mark.usefixtures("matrix")
TODAY = dt.date(2026, 11, 27)
Q3 = Period.parse("2026-Q3")
SECTION = re.compile(r'<h2 class="h4" id="pack-\d+">\d+\. ([^<]+)</h2>(.*?)</section>', re.S)
ACTION = re.compile(r"<li><bdi>([^<]+?)</bdi> — ")
MORE = re.compile(r"<li>(and \d+ more open actions?, due later)</li>")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def country_d(region_a):
    return CountryFactory(name="Country D", region=region_a)


@pytest.fixture
def meeting(region_a, chair_a, country_a, country_b, country_d, officer_a):
    """A published RQR of region A with countries A, B and D on its agenda."""
    file_scan(country_a, officer_a, Q3, rating=3)
    meeting = services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 9, 25), chair=chair_a)
    for country in (country_b, country_d):
        if not meeting.items.filter(country=country, included=True).exists():
            services.agenda_add(actor=chair_a, meeting=meeting, country=country, reason="r", lock_version=meeting.lock_version)
            meeting.refresh_from_db()
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    return meeting


@pytest.fixture
def entities(db):
    return {code: Entity.objects.get_or_create(code=code, defaults={"name": code})[0] for code in ("OHCHR", "UNDP")}


def _plan(country, eosg, officer) -> Plan:
    alert = Alert.objects.create(country=country, title="t", location="l", severity="serious", description="d", raised_by=officer)
    return Plan.objects.create(country=country, title=f"Plan for {country}", source_alert=alert, created_by=eosg)


def _actions(plan, owner, entities, specs) -> list[Action]:
    """specs: (title, days from today, status, restricted); written shuffled so ids do not follow deadlines."""
    specs = list(specs)
    random.Random(3).shuffle(specs)
    return Action.objects.bulk_create(
        Action(plan=plan, title=t, owner=owner, deadline=TODAY + dt.timedelta(days=d), status=s, restricted=r,
               lead_entity=entities["UNDP" if r else "OHCHR"])
        for t, d, s, r in specs
    )


def _by_urgency(actions, *, restricted_too: bool) -> list[str]:
    shown = [a for a in actions if a.status != "done" and (restricted_too or not a.restricted)]
    return [a.title for a in sorted(shown, key=lambda a: (a.deadline, a.pk))]


@pytest.fixture
def actions(meeting, country_a, country_b, country_d, eosg, officer_a, owner, entities):
    """A: 14 open, 2 restricted (the most urgent of all) and 3 done; B: 11 open; D: 3 open."""
    a = _actions(_plan(country_a, eosg, officer_a), owner, entities,
                 [(f"A-open-{i:02d}", i // 2 - 3, "in_progress" if i % 3 else "planned", False) for i in range(14)]
                 + [(f"A-secret-{i}", -30 + i, "blocked", True) for i in range(2)]
                 + [(f"A-done-{i}", -60 + i, "done", False) for i in range(3)])
    b = _actions(_plan(country_b, eosg, officer_a), owner, entities, [(f"B-open-{i:02d}", 20 - i, "planned", False) for i in range(11)])
    d = _actions(_plan(country_d, eosg, officer_a), owner, entities, [(f"D-open-{i}", 5, "planned", False) for i in range(3)])
    return {"Country A": a, "Country B": b, "Country D": d}


def _pack(client, meeting) -> dict[str, tuple[list[str], list[str]]]:
    response = client.get(reverse("reviews:meeting_print", args=[meeting.pk]))
    assert response.status_code == 200
    return {name: (ACTION.findall(body), MORE.findall(body)) for name, body in SECTION.findall(response.content.decode())}


def test_each_country_lists_its_10_most_urgent_open_actions_and_counts_the_rest(login, chair_a, meeting, actions):
    pack = _pack(login(chair_a), meeting)
    a = _by_urgency(actions["Country A"], restricted_too=True)
    assert a[:2] == ["A-secret-0", "A-secret-1"] and len(a) == 16
    assert pack["Country A"] == (a[:10], ["and 6 more open actions, due later"])
    b = _by_urgency(actions["Country B"], restricted_too=True)
    assert pack["Country B"] == (b[:10], ["and 1 more open action, due later"])
    assert b[:10] == [f"B-open-{i:02d}" for i in range(10, 0, -1)]
    assert pack["Country D"] == (_by_urgency(actions["Country D"], restricted_too=True), [])


def test_restricted_actions_are_neither_shown_nor_counted_for_those_who_may_not_see_them(login, sag, meeting, actions):
    pack = _pack(login(sag), meeting)
    a = _by_urgency(actions["Country A"], restricted_too=False)
    assert len(a) == 14
    assert pack["Country A"] == (a[:10], ["and 4 more open actions, due later"])
    assert not any("secret" in title for titles, _ in pack.values() for title in titles)


def test_an_officer_reads_the_restricted_actions_of_their_own_country_only(login, officer_a, meeting, actions):
    pack = _pack(login(officer_a), meeting)
    assert list(pack) == ["Country A"]
    assert pack["Country A"][0][:2] == ["A-secret-0", "A-secret-1"]


def test_a_country_without_open_actions_says_none(login, chair_a, meeting, actions):
    Action.objects.filter(plan__country__name="Country D").update(status="done")
    content = login(chair_a).get(reverse("reviews:meeting_print", args=[meeting.pk])).content.decode()
    body = dict(SECTION.findall(content))["Country D"]
    assert ACTION.findall(body) == [] and MORE.findall(body) == [] and "<li>None.</li>" in body


# Measured (as AGENDA_PUBLISHED_QUERIES in test_pages): one query for the actions of every country.
PRINT_PACK_QUERIES = 7


@pytest.mark.parametrize("persona", ["chair_a", "sag"])
def test_the_pack_costs_the_same_with_hundreds_of_actions(
    request, login, meeting, actions, country_a, eosg, officer_a, owner, entities, persona, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    client, queries = login(user), PRINT_PACK_QUERIES + warning_badge_queries(user)
    with django_assert_num_queries(queries):
        small = _pack(client, meeting)
    _actions(_plan(country_a, eosg, officer_a), owner, entities,
             [(f"A-late-{i:03d}", 100 + i, "planned", i % 2 == 0) for i in range(300)])
    with django_assert_num_queries(queries):
        big = _pack(client, meeting)
    assert big["Country A"][0] == small["Country A"][0]  # later deadlines do not push out the urgent ones
    assert big["Country A"][1] != small["Country A"][1]
