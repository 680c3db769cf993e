"""Paging of "My actions" (four sections, each paged on its own) and of the plans list."""

import datetime as dt
import html
import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import Action, Benchmark, Plan
from hruf.models import Role
from scans.models import Alert

from ..factories import UserFactory, grant
from ..nav import warning_badge_queries

TODAY = dt.date(2026, 11, 27)
SECTIONS = ("overdue", "due_soon", "blocked", "later")  # the page's order, top to bottom
ROW = re.compile(r'<a href="/[^"]*/actions/\d+/"><bdi>([^<]+)</bdi></a>')
PLAN_ROW = re.compile(r'<a href="/[^"]*/plans/\d+/"><bdi>([^<]+)</bdi></a>')


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def plan_a(country_a, alert_a, eosg):
    return Plan.objects.create(country=country_a, title="Plan A", source_alert=alert_a, created_by=eosg)


def _bulk_actions(plan, owner, lead, specs) -> list[Action]:
    """specs: (title, deadline, status) in any order; written in a shuffled order so that the
    primary keys do not follow the deadlines (the page must sort, not rely on insertion order)."""
    specs = list(specs)
    random.Random(7).shuffle(specs)
    return Action.objects.bulk_create(
        Action(plan=plan, title=t, lead_entity=lead, owner=owner, deadline=d, status=s) for t, d, s in specs
    )


def _section_specs(name: str, count: int):
    """`count` open actions that fall in section `name`, with deadlines that tie in pairs."""
    for i in range(count):
        if name == "overdue":
            yield f"{name}-{i:03d}", TODAY - dt.timedelta(days=200 - i // 2), "planned"
        elif name == "due_soon":
            yield f"{name}-{i:03d}", TODAY + dt.timedelta(days=i // 3), "in_progress"
        elif name == "blocked":
            yield f"{name}-{i:03d}", TODAY + dt.timedelta(days=1 + i // 2), "blocked"  # blocked beats due soon
        else:
            yield f"{name}-{i:03d}", TODAY + dt.timedelta(days=15 + i // 2), "planned"


SIZES = {"overdue": 60, "due_soon": 30, "blocked": 27, "later": 51}


@pytest.fixture
def many_actions(plan_a, owner, ohchr, undp_owner):
    """The owner's open actions in every section, plus closed ones and someone else's (never listed)."""
    created = _bulk_actions(plan_a, owner, ohchr, [s for name, n in SIZES.items() for s in _section_specs(name, n)])
    _bulk_actions(plan_a, owner, ohchr, [("done-overdue", TODAY - dt.timedelta(days=300), "done"),
                                         ("cancelled-later", TODAY + dt.timedelta(days=40), "cancelled")])
    _bulk_actions(plan_a, undp_owner, ohchr, [("not-mine", TODAY - dt.timedelta(days=300), "planned")])
    by_section = {name: sorted((a for a in created if a.title.startswith(name)), key=lambda a: (a.deadline, a.pk))
                  for name in SECTIONS}
    return {name: [a.title for a in actions] for name, actions in by_section.items()}


def _sections(content: str) -> dict[str, str]:
    """The page cut at each section's heading: the HTML of each section."""
    cuts = {name: content.index(f'id="{name}"') for name in SECTIONS}
    ends = sorted(cuts.values()) + [len(content)]
    return {name: content[start : ends[ends.index(start) + 1]] for name, start in cuts.items()}


def _titles(section_html: str) -> list[str]:
    return ROW.findall(section_html)


def _link(section_html: str, label: str, anchor: str) -> str | None:
    """The plain href of the section's Previous / More link (no JavaScript involved), unescaped."""
    found = re.search(rf'<a href="([^"]*)#{anchor}">{label}</a>', section_html)
    return html.unescape(found.group(1)) if found else None


def _page(client, query: str = "") -> dict[str, str]:
    response = client.get(reverse("followup:my_actions") + query)
    assert response.status_code == 200
    return _sections(response.content.decode())


def test_it_shows_25_rows_per_section_with_their_own_more_links(login, owner, many_actions):
    page = _page(login(owner))
    for name in SECTIONS:
        assert _titles(page[name]) == many_actions[name][:25], name
        assert _link(page[name], "Previous", name) is None
        assert _link(page[name], "More", name) == f"?{name}=2"
        assert f"1–25 of {SIZES[name]}" in page[name]
    text = "".join(page.values())
    assert "done-overdue" not in text and "cancelled-later" not in text and "not-mine" not in text


def test_it_pages_each_section_on_its_own_and_keeps_the_order_across_pages(login, owner, many_actions):
    client = login(owner)
    seen = {name: [] for name in SECTIONS}
    for name in SECTIONS:
        query = ""
        while True:
            section = _page(client, query)[name]
            seen[name] += _titles(section)
            more = _link(section, "More", name)
            if more is None:
                break
            query = more
    # Every page of a section, read in turn, is the whole section, first due first, none twice.
    assert seen == many_actions


def test_the_second_page_of_one_section_leaves_the_others_where_they_are(login, owner, many_actions):
    page = _page(login(owner), "?overdue=2&later=3")
    assert _titles(page["overdue"]) == many_actions["overdue"][25:50]
    assert "26–50 of 60" in page["overdue"]
    assert _link(page["overdue"], "Previous", "overdue") == "?overdue=1&later=3"
    assert _link(page["overdue"], "More", "overdue") == "?overdue=3&later=3"
    assert _titles(page["later"]) == many_actions["later"][50:] and "51–51 of 51" in page["later"]
    assert _link(page["later"], "More", "later") is None
    assert _link(page["later"], "Previous", "later") == "?overdue=2&later=2"
    # The other sections stay on their first page and their links keep the pages chosen elsewhere.
    assert _titles(page["due_soon"]) == many_actions["due_soon"][:25]
    assert _link(page["due_soon"], "More", "due_soon") == "?overdue=2&later=3&due_soon=2"
    assert _titles(page["blocked"]) == many_actions["blocked"][:25]


def test_a_section_that_fits_on_a_page_has_no_pager(login, owner, plan_a, ohchr):
    titles = _bulk_actions(plan_a, owner, ohchr, _section_specs("overdue", 25))
    page = _page(login(owner))
    assert len(_titles(page["overdue"])) == len(titles) == 25
    assert "More" not in page["overdue"] and "Previous" not in page["overdue"] and "of 25" not in page["overdue"]


def test_an_overdue_benchmark_puts_the_action_in_the_overdue_section(login, owner, plan_a, ohchr):
    [late_benchmark] = _bulk_actions(plan_a, owner, ohchr, [("benchmark-late", TODAY + dt.timedelta(days=90), "planned")])
    Benchmark.objects.create(action=late_benchmark, description="m", due_date=TODAY - dt.timedelta(days=2))
    page = _page(login(owner))
    assert _titles(page["overdue"]) == ["benchmark-late"] and _titles(page["later"]) == []


@pytest.mark.parametrize("raw", ["abc", "-2", "0", "", "1e3", "２", "99999999999", "2.5", "%00"])
def test_a_garbage_page_number_shows_the_first_page(login, owner, many_actions, raw):
    page = _page(login(owner), f"?overdue={raw}")
    assert _titles(page["overdue"]) == many_actions["overdue"][:25]


def test_a_page_past_the_end_is_empty_not_an_error(login, owner, many_actions):
    page = _page(login(owner), "?overdue=9&blocked=10000")
    assert _titles(page["overdue"]) == [] and "None." in page["overdue"]
    assert _link(page["overdue"], "More", "overdue") is None
    assert _titles(page["blocked"]) == []
    assert _titles(page["later"]) == many_actions["later"][:25]


# Measured: session, user, the one query for the rows of all four sections, then the menu's roles and
# unread notifications.
MY_ACTIONS_QUERIES = 5


def test_it_costs_the_same_queries_on_any_page_and_with_more_data(
    login, owner, plan_a, ohchr, many_actions, django_assert_num_queries
):
    client = login(owner)
    for query in ("", "?overdue=2&due_soon=2", "?overdue=3&blocked=2&later=3"):
        with django_assert_num_queries(MY_ACTIONS_QUERIES):
            client.get(reverse("followup:my_actions") + query)
    _bulk_actions(plan_a, owner, ohchr, [(f"more-{i}", TODAY + dt.timedelta(days=i - 100), "planned") for i in range(300)])
    for query in ("", "?overdue=7"):
        with django_assert_num_queries(MY_ACTIONS_QUERIES):
            client.get(reverse("followup:my_actions") + query)


# Plans list -----------------------------------------------------------------------------------------


def _bulk_plans(country, alert, user, count: int, prefix: str) -> list[Plan]:
    """`count` plans adopted an hour apart, newest last; their ids run the other way round for
    half of them, so the page must sort on the adoption time."""
    plans = Plan.objects.bulk_create(
        Plan(country=country, title=f"{prefix}-{i:03d}", source_alert=alert, created_by=user) for i in range(count)
    )
    start = timezone.now() - dt.timedelta(days=60)
    order = list(range(count))
    order[: count // 2] = reversed(order[: count // 2])
    for plan, hour in zip(plans, order, strict=True):
        plan.created_at = start + dt.timedelta(hours=hour)
    Plan.objects.bulk_update(plans, ["created_at"])  # auto_now_add is applied on insert only
    return sorted(plans, key=lambda p: (p.created_at, p.pk), reverse=True)


@pytest.fixture
def alert_b(country_b, officer_b):
    return Alert.objects.create(
        country=country_b, title="Raid", location="East", severity="serious", description="d", raised_by=officer_b
    )


def _plan_page(client, query: str = "") -> str:
    response = client.get(reverse("followup:plan_list") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_plans_come_50_a_page_newest_first_with_newer_and_older_links(login, officer_a, alert_a, eosg, country_a):
    newest_first = [p.title for p in _bulk_plans(country_a, alert_a, eosg, 120, "A")]
    client = login(officer_a)
    first, second, third = (_plan_page(client, q) for q in ("", "?page=2", "?page=3"))
    assert PLAN_ROW.findall(first) == newest_first[:50]
    assert PLAN_ROW.findall(second) == newest_first[50:100]
    assert PLAN_ROW.findall(third) == newest_first[100:]
    assert '<a href="?page=2">Older plans</a>' in first and "Newer plans" not in first
    assert '<a href="?page=1">Newer plans</a>' in second and '<a href="?page=3">Older plans</a>' in second
    assert '<a href="?page=2">Newer plans</a>' in third and "Older plans" not in third
    assert "Plans 51–100, newest first" in second and "Plans 101–120, newest first" in third


def test_other_countries_plans_are_neither_shown_nor_counted(
    login, officer_a, officer_b, alert_a, alert_b, eosg, country_a, country_b
):
    mine = [p.title for p in _bulk_plans(country_a, alert_a, eosg, 50, "A")]
    theirs = [p.title for p in _bulk_plans(country_b, alert_b, eosg, 70, "B")]
    client = login(officer_a)
    first, second = _plan_page(client), _plan_page(client, "?page=2")
    assert PLAN_ROW.findall(first) == mine
    assert "Older plans" not in first  # 50 visible plans fit on one page, whatever the others have
    assert PLAN_ROW.findall(second) == []
    assert "B-" not in first + second
    client = login(officer_b)
    pages = [_plan_page(client, f"?page={n}") for n in (1, 2, 3)]
    assert PLAN_ROW.findall(pages[0]) + PLAN_ROW.findall(pages[1]) == theirs
    assert not any("A-" in p for p in pages)


def test_an_owner_sees_each_plan_once_however_many_actions_they_hold(login, eosg, alert_a, country_a, ohchr):
    owner = grant(UserFactory(username="busy_owner"), Role.OWNER, entity=ohchr)
    plans = _bulk_plans(country_a, alert_a, eosg, 60, "A")
    Action.objects.bulk_create(
        Action(plan=p, title=f"a{n}", lead_entity=ohchr, owner=owner, deadline=TODAY) for p in plans for n in range(3)
    )
    client = login(owner)
    shown = PLAN_ROW.findall(_plan_page(client)) + PLAN_ROW.findall(_plan_page(client, "?page=2"))
    assert shown == [p.title for p in plans]


@pytest.mark.parametrize("raw", ["abc", "-1", "0", "", "1e2", "２", "99999999999"])
def test_a_garbage_plan_page_shows_the_newest(login, officer_a, alert_a, eosg, country_a, raw):
    newest_first = [p.title for p in _bulk_plans(country_a, alert_a, eosg, 60, "A")]
    assert PLAN_ROW.findall(_plan_page(login(officer_a), f"?page={raw}")) == newest_first[:50]


def test_a_plan_page_past_the_end_is_empty_not_an_error(login, officer_a, alert_a, eosg, country_a):
    _bulk_plans(country_a, alert_a, eosg, 60, "A")
    page = _plan_page(login(officer_a), "?page=10000")
    assert PLAN_ROW.findall(page) == [] and "No plans." in page and "Older plans" not in page


# Measured: session, user, roles, the page of plans, the readable alerts, unread notifications (and
# for chairs and EOSG the warnings waiting for them: warning_badge_queries).
PLAN_LIST_QUERIES = 6


@pytest.mark.parametrize("persona", ["officer_a", "chair_a", "eosg"])
def test_the_plans_list_costs_the_same_on_any_page_and_with_more_plans(
    request, login, alert_a, eosg, country_a, persona, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    client, queries = login(user), PLAN_LIST_QUERIES + warning_badge_queries(user)
    _bulk_plans(country_a, alert_a, eosg, 60, "A")
    for query in ("", "?page=2"):
        with django_assert_num_queries(queries):
            _plan_page(client, query)
    _bulk_plans(country_a, alert_a, eosg, 400, "M")
    for query in ("", "?page=5"):
        with django_assert_num_queries(queries):
            _plan_page(client, query)


def test_an_action_whose_benchmark_is_due_first_sorts_by_that_date(login, plan_a, owner, ohchr):
    _bulk_actions(plan_a, owner, ohchr, [
        ("deadline-first", TODAY - dt.timedelta(days=10), "planned"),
        ("benchmark-first", TODAY - dt.timedelta(days=1), "planned"),
    ])
    late = Action.objects.get(title="benchmark-first")
    Benchmark.objects.create(action=late, description="b", due_date=TODAY - dt.timedelta(days=30))
    content = login(owner).get(reverse("followup:my_actions")).content.decode()
    assert _titles(_sections(content)["overdue"]) == ["benchmark-first", "deadline-first"]


def test_a_page_past_the_end_links_back_to_the_start_without_a_false_count(login, many_actions, owner):
    content = html.unescape(login(owner).get(reverse("followup:my_actions"), {"overdue": 9}).content.decode())
    overdue = _sections(content)["overdue"]
    assert _titles(overdue) == [] and " of 0" not in overdue
    assert 'href="?overdue=1#overdue"' in overdue
