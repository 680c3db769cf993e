"""The EOSG dashboard: its figures against a known data set, its filters, and its cost."""

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.dashboard import Filters, median_days_to_completion
from followup.models import Action, ActionStatus, Benchmark, Plan
from followup.templatetags.dashboard_tags import bar_chart
from hruf.models import Country, Entity, Role
from scans import services as scan_services
from scans.models import Alert
from scans.periods import Period

from ..factories import CountryFactory, RegionFactory, UserFactory, file_scan, grant, quarters_before

TODAY = dt.date(2026, 11, 27)  # 2026-Q4 (quarterly scans due 29 Nov), 2026-11 (monthly ones due 20 Nov)
URL = reverse("followup:dashboard")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def _entity(code: str) -> Entity:
    return Entity.objects.get_or_create(code=code, defaults={"name": code})[0]


def _plan(country: Country, user) -> Plan:
    alert = Alert.objects.create(
        country=country, title="Attack", location="North", severity="serious", description="d", raised_by=user
    )
    return Plan.objects.create(country=country, title=f"Plan for {country}", source_alert=alert, created_by=user)


def _action(plan, entity, owner, status, deadline, *, created=None, completed=None, step=0, title="a") -> Action:
    action = Action.objects.create(
        plan=plan, title=title, lead_entity=entity, owner=owner, status=status, deadline=deadline, overdue_step=step,
        completed_at=completed,
    )
    if created:  # created_at is auto_now_add: set afterwards
        Action.objects.filter(pk=action.pk).update(created_at=created)
    return action


@pytest.fixture
def known(country_a, country_c, eosg, owner):
    """Six actions in two regions and two entities, with five benchmarks, all known by heart."""
    ohchr, dppa = _entity("OHCHR"), _entity("DPPA")
    plan_a, plan_c = _plan(country_a, eosg), _plan(country_c, eosg)
    oct1 = _at(dt.date(2026, 10, 1))
    a = {
        1: _action(plan_a, ohchr, owner, ActionStatus.DONE, dt.date(2026, 12, 15), created=oct1,
                   completed=_at(dt.date(2026, 10, 11)), title="one"),  # 10 days
        2: _action(plan_a, ohchr, owner, ActionStatus.DONE, dt.date(2026, 11, 30), created=oct1,
                   completed=_at(dt.date(2026, 10, 31)), title="two"),  # 30 days
        3: _action(plan_a, dppa, owner, ActionStatus.IN_PROGRESS, dt.date(2026, 11, 20), step=2, title="three"),
        4: _action(plan_c, dppa, owner, ActionStatus.PLANNED, dt.date(2026, 11, 1), step=3, title="four"),
        5: _action(plan_c, ohchr, owner, ActionStatus.BLOCKED, dt.date(2027, 1, 15), title="five"),
        6: _action(plan_c, dppa, owner, ActionStatus.CANCELLED, dt.date(2026, 12, 1), title="six"),
    }
    for benchmark in [  # saved one by one, as the app writes them: a closed action's reach its tally
        Benchmark(action=a[1], description="on time, late in the day", due_date=dt.date(2026, 10, 10),
                  met_at=_at(dt.date(2026, 10, 10), 23)),
        Benchmark(action=a[2], description="late", due_date=dt.date(2026, 10, 20), met_at=_at(dt.date(2026, 10, 25))),
        Benchmark(action=a[3], description="past due", due_date=dt.date(2026, 11, 10)),
        Benchmark(action=a[5], description="not yet due", due_date=dt.date(2026, 12, 20)),
        Benchmark(action=a[6], description="no longer waited for", due_date=dt.date(2026, 11, 1)),
    ]:
        benchmark.save()
    return a


def _figures(login, user, **params):
    response = login(user).get(URL, params)
    assert response.status_code == 200
    return response, response.context["figures"]


def _by_key(rows):
    return {r.key: r.count for r in rows}


# --- who may see it -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_a", "chair_a", "sag", "owner", "outsider"])
def test_it_refuses_everyone_but_eosg(request, login, persona):
    assert login(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- the figures ------------------------------------------------------------------------


def test_it_counts_the_known_data_set(login, eosg, known):
    response, f = _figures(login, eosg)
    a = f.actions
    assert _by_key(a.by_status) == {"planned": 1, "in_progress": 1, "blocked": 1, "done": 2, "cancelled": 1}
    assert (a.total, a.done, a.cancelled, a.overdue) == (6, 2, 1, 2)
    assert a.completion_percent == 40.0  # 2 done of the 5 not cancelled
    assert a.median_days == 20.0 and a.timed == 2  # between 10 and 30 days
    assert _by_key(a.by_step) == {"0": 0, "1": 0, "2": 1, "3": 1}

    entities = {r.label: (r.total, r.done, r.on_time, r.overdue, r.cancelled) for r in f.by_entity}
    assert entities == {"OHCHR": (3, 2, 1, 0, 0), "DPPA": (3, 0, 0, 2, 1)}
    regions = {r.label: (r.total, r.done, r.on_time, r.overdue, r.cancelled) for r in f.by_region}
    assert regions == {"Region A": (3, 2, 0, 1, 0), "Region B": (3, 0, 1, 1, 1)}

    assert [(r.action.title, r.days, r.step) for r in f.overdue] == [("four", 26, 3), ("three", 7, 2)]
    assert _by_key(f.benchmarks.rows) == {"on_time": 1, "late": 1, "past_due": 1, "not_due": 1}
    assert f.benchmarks.total == 5 and f.benchmarks.on_time_percent == 50.0

    html = response.content.decode()
    assert 'data-figure="completion">40.0 %' in html
    assert reverse("followup:action_detail", args=[known[4].pk]) in html
    assert "Escalated to EOSG" in html and "Escalated to the regional chair" in html


def test_it_takes_the_median_of_an_odd_number_in_the_database(login, eosg, owner, country_a):
    plan, entity = _plan(country_a, eosg), _entity("OHCHR")
    start = _at(dt.date(2026, 1, 1))
    for days in (40, 2, 7):
        _action(plan, entity, owner, ActionStatus.DONE, TODAY, created=start, completed=start + dt.timedelta(days=days))
    _action(plan, entity, owner, ActionStatus.DONE, TODAY)  # done without a completion time: not timed
    assert median_days_to_completion(Action.objects.all(), 3) == 7.0
    assert _figures(login, eosg)[1].actions.median_days == 7.0
    assert median_days_to_completion(Action.objects.none(), 0) is None


def test_it_shows_dashes_when_there_is_nothing_yet(login, eosg):
    response, f = _figures(login, eosg)
    assert f.actions.total == 0 and f.actions.completion_percent is None and f.actions.median_days is None
    assert "No action is overdue." in response.content.decode()


# --- filters ----------------------------------------------------------------------------


def test_it_filters_by_region_entity_and_period(login, eosg, known, region_a):
    _r, f = _figures(login, eosg, region=region_a.pk)
    assert (f.actions.total, f.actions.done, f.actions.completion_percent) == (3, 2, 66.7)
    assert [r.label for r in f.by_region] == ["Region A"]
    assert _by_key(f.benchmarks.rows) == {"on_time": 1, "late": 1, "past_due": 1, "not_due": 0}

    _r, f = _figures(login, eosg, entity=_entity("DPPA").pk)
    assert _by_key(f.actions.by_status) == {"planned": 1, "in_progress": 1, "blocked": 0, "done": 0, "cancelled": 1}
    assert f.actions.median_days is None

    _r, f = _figures(login, eosg, period="2026-Q4")
    assert f.actions.total == 5  # all but the one due in January 2027
    _r, f = _figures(login, eosg, period="2027-Q1", region=region_a.pk)
    assert f.actions.total == 0
    response, f = _figures(login, eosg, period="2027-q1")
    assert f.actions.total == 1 and f.filters.period == Period.parse("2027-Q1")
    html = response.content.decode()
    assert "deadline in 2027-Q1" in html and '<option value="2027-Q1" selected>' in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"period": "2026-Q5"}, "is not a period"),
        ({"period": "next year"}, "is not a period"),
        ({"region": "abc"}, "Select a valid choice"),
        ({"entity": "999999"}, "Select a valid choice"),
    ],
)
def test_a_bad_filter_gets_a_clear_message(login, eosg, known, params, message):
    response = login(eosg).get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "could not be applied" in html
    assert response.context["figures_html"] is None


def test_the_filter_form_works_without_javascript_and_labels_every_input(login, eosg):
    html = login(eosg).get(URL).content.decode()
    assert '<form method="get"' in html and 'type="submit"' in html
    for name in ("region", "entity", "period"):
        assert f'<label class="form-label" for="id_{name}">' in html
        assert f'<select name="{name}"' in html
    assert '<option value="2026-Q4">2026-Q4</option>' in html
    assert not re.search(r'<script(?![^>]*src="/static/js/)', html)  # only the app's own optional scripts
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from another site, no CDN


# --- warnings without response --------------------------------------------------------


def test_it_lists_high_risk_countries_without_an_open_plan(login, eosg, matrix, region_a, officer_a, owner, country_a):
    last_quarter = quarters_before(TODAY, 1)[0]
    silent = CountryFactory(name="Silent", region=region_a)  # very high, no plan at all
    closed = CountryFactory(name="Closed", region=region_a)  # very high, every action done or cancelled
    answered = CountryFactory(name="Answered", region=region_a)  # very high, one action blocked
    calm = CountryFactory(name="Calm", region=region_a)  # low risk, no plan
    calmer = CountryFactory(name="Calmer now", region=region_a)  # very high before, low in the latest scan
    for country in (silent, closed, answered):
        file_scan(country, officer_a, last_quarter, rating=3)
    file_scan(calm, officer_a, last_quarter, rating=0)
    file_scan(calmer, officer_a, last_quarter.previous(), rating=3)
    file_scan(calmer, officer_a, last_quarter, rating=0)
    entity = _entity("OHCHR")
    plan = _plan(closed, eosg)
    _action(plan, entity, owner, ActionStatus.DONE, TODAY)
    _action(plan, entity, owner, ActionStatus.CANCELLED, TODAY)
    _action(_plan(answered, eosg), entity, owner, ActionStatus.BLOCKED, TODAY)

    _r, f = _figures(login, eosg)
    assert [c.name for c in f.warnings] == ["Closed", "Silent"]
    assert {c.last_tier for c in f.warnings} == {"very_high"}
    assert len(f.warnings) == 2
    _r, f = _figures(login, eosg, region=CountryFactory().region_id)
    assert f.warnings == []


# --- scan coverage ---------------------------------------------------------------------


def test_it_counts_scan_coverage_by_region_for_each_countrys_own_period(
    login, eosg, matrix, region_a, officer_a, country_a, country_b
):
    quarter, month = Period.containing(TODAY, "quarterly"), Period.containing(TODAY, "monthly")
    file_scan(country_a, officer_a, quarter, today=TODAY)  # submitted
    scan_services.scan_start(country=country_b, period=quarter, actor=officer_a, today=TODAY)  # draft, due 29 Nov
    CountryFactory(name="Not started", region=region_a)  # quarterly, not due until 29 Nov
    CountryFactory(name="Late monthly", region=region_a, enhanced_reporting=True)  # monthly, due 20 Nov
    monthly = CountryFactory(name="Monthly", region=region_a, enhanced_reporting=True)
    file_scan(monthly, officer_a, month, today=TODAY)
    # Last quarter's submitted scan does not cover this quarter.
    file_scan(CountryFactory(name="Old", region=region_a), officer_a, quarter.previous(), today=TODAY)

    response, f = _figures(login, eosg, region=region_a.pk)
    [row] = f.coverage
    assert (row.region, row.countries, row.submitted, row.draft, row.not_started, row.overdue) == (
        "Region A", 6, 2, 1, 2, 1
    )
    assert row.not_due == 3 and row.percent == 33.3
    assert 'data-region="Region A"' in response.content.decode()

    _r, f = _figures(login, eosg)  # every region, the reference countries included
    assert f.coverage_total.countries == Country.objects.count()


# --- coverage gaps ---------------------------------------------------------------------


def test_it_shows_eosg_the_countries_without_an_officer_and_the_regions_without_a_chair(
    login, eosg, region_a, region_b, country_a, country_b, country_c, officer_a, chair_a
):
    grant(UserFactory(username="gone_officer", is_active=False), Role.OFFICER, country=country_c)
    grant(UserFactory(username="gone_chair", is_active=False), Role.CHAIR, region=region_b)
    lone = CountryFactory(name="Lone", region=region_b)

    _r, f = _figures(login, eosg, region=region_a.pk)
    assert f.coverage_gaps.countries_without_officer == [country_b]
    assert f.coverage_gaps.regions_without_chair == []

    response, f = _figures(login, eosg, region=region_b.pk)
    assert f.coverage_gaps.countries_without_officer == [country_c, lone]
    [gap] = f.coverage_gaps.regions_without_chair
    assert (gap.region, gap.countries) == (region_b, [country_c, lone])
    html = response.content.decode()
    assert '<caption>Regions without an active chair, and their countries</caption>' in html
    assert '<caption>Countries without an active officer</caption>' in html
    assert f'<tr data-region="{region_b.code}"><th scope="row">Region B</th>' in html
    assert re.search(rf'<tr data-country="{country_c.iso3}">.*?<td>EOSG</td>', html, re.S)
    assert 'data-figure="regions-without-chair">1<' in html

    response, _f = _figures(login, eosg, region=region_a.pk)
    chairs = rf"<tr data-country=\"{country_b.iso3}\">.*?<td>The region's chairs</td>"
    assert re.search(chairs, response.content.decode(), re.S)

    _r, f = _figures(login, eosg)  # the reference countries have no officer either
    assert len(f.coverage_gaps.countries_without_officer) == Country.objects.count() - 1


def test_it_says_so_when_there_is_no_gap(login, eosg, region_a, country_a, officer_a, chair_a):
    html = login(eosg).get(URL, {"region": region_a.pk}).content.decode()
    assert "Every region has an active chair." in html and "Every country has an active officer." in html


def test_the_coverage_gaps_cost_no_query_per_country(login, eosg, region_a, country_a, officer_a, chair_a):
    client = login(eosg)
    before = _queries(client)
    for i in range(30):
        region = RegionFactory()
        if i % 2:
            grant(UserFactory(), Role.CHAIR, region=region)
        for j in range(3):
            country = CountryFactory(region=region)
            if j:
                grant(UserFactory(), Role.OFFICER, country=country)
    assert _queries(client) == before


# --- charts -----------------------------------------------------------------------------


def test_charts_are_inline_svg_with_a_label_and_a_table(login, eosg, known):
    html = login(eosg).get(URL).content.decode()
    for chart in ("status", "benchmarks", "entity", "region", "coverage"):
        assert f'<svg role="img" aria-labelledby="chart-{chart}-title"' in html
        assert f'<title id="chart-{chart}-title">Bar chart:' in html
    for table in ("status", "benchmarks", "by-entity", "by-region", "coverage", "overdue", "warnings",
                  "regions-without-chair", "countries-without-officer"):
        assert f'id="table-{table}"' in html


def test_svg_coordinates_stay_plain_numbers_in_french(login, eosg, known):
    # French formats 307.5 as "307,5": that would break every coordinate of the drawing.
    html = login(eosg).get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in html
    assert not re.search(r'(x|y|width|height)="[0-9]+,[0-9]', html)
    assert re.search(r'width="[0-9]+\.[0-9]"', html)


def test_bar_widths_are_proportional_and_stacked():
    class Row:
        def __init__(self, label, done, overdue):
            self.label, self.done, self.overdue = label, done, overdue

    chart = bar_chart("c", "t", [Row("big", 30, 10), Row("small", 10, 0), Row("none", 0, 0)], "done overdue")
    big, small, none = chart["bars"]
    assert [(s.key, s.x, s.width) for s in big.segments] == [("done", 0.0, 435.0), ("overdue", 435.0, 145.0)]
    assert [(s.key, s.width) for s in small.segments] == [("done", 145.0)]
    assert big.label_y < big.bar_y  # the label on a line of its own above its bar
    assert none.segments == [] and none.total == 0
    assert len(chart["legend"]) == 2


def test_a_long_label_is_drawn_whole():
    class Row:
        label, count = "Latin America and the Caribbean", 3

    [bar] = bar_chart("c", "t", [Row()])["bars"]
    assert bar.label == "Latin America and the Caribbean"


# --- cost -------------------------------------------------------------------------------


def _bulk_actions(count: int, countries, entities, owner, creator) -> None:
    """`count` actions over a few plans, with varied statuses, deadlines and benchmarks, in bulk."""
    plans = [_plan(c, creator) for c in countries]
    statuses = itertools.cycle(ActionStatus.values)
    start = _at(dt.date(2026, 1, 1))
    rows = []  # created_at is "now" for all of them: completion times are counted in hours
    for i in range(count):
        status = next(statuses)
        done = status == ActionStatus.DONE
        rows.append(
            Action(
                plan=plans[i % len(plans)], title=f"action {i}", lead_entity=entities[i % len(entities)], owner=owner,
                status=status, deadline=TODAY + dt.timedelta(days=(i % 120) - 60), overdue_step=i % 4,
                completed_at=_at(TODAY) + dt.timedelta(hours=i % 90) if done else None,
            )
        )
    actions = Action.objects.bulk_create(rows, batch_size=2000)
    Benchmark.objects.bulk_create(
        (Benchmark(action=a, description="b", due_date=a.deadline, met_at=start if i % 3 == 0 else None)
         for i, a in enumerate(actions[::5])),
        batch_size=2000,
    )


def _queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_actions(login, eosg, owner, matrix, region_a, region_b, officer_a):
    countries = [CountryFactory(region=region_a), CountryFactory(region=region_b), CountryFactory(region=region_b)]
    for country in countries[:2]:
        file_scan(country, officer_a, quarters_before(TODAY, 1)[0], rating=3)
    # A scan of the current period too, so that coverage reads its drafts.
    scan_services.scan_start(country=countries[2], period=Period.containing(TODAY, "quarterly"), actor=officer_a)
    entities = [_entity(code) for code in ("OHCHR", "DPPA", "UNDP", "DPO")]
    creator = UserFactory()
    client = login(eosg)
    filtered = {"region": region_b.pk, "entity": entities[1].pk, "period": "2026-Q4"}

    _bulk_actions(100, countries, entities, owner, creator)
    small = [_queries(client), _queries(client, filtered)]
    _bulk_actions(9_900, countries, entities, owner, creator)
    assert Action.objects.count() == 10_000
    assert [_queries(client), _queries(client, filtered)] == small
    assert small == [DASHBOARD_QUERIES, DASHBOARD_QUERIES + 2]  # the chosen region and entity are fetched


def test_filters_apply_to_benchmarks_through_their_actions(eosg, owner, country_a, country_c):
    entity = _entity("OHCHR")
    action = _action(_plan(country_c, eosg), entity, owner, ActionStatus.PLANNED, TODAY)
    Benchmark.objects.create(action=action, description="b", due_date=TODAY)
    kept = Filters(region=country_a.region).actions(Action.objects.all())
    assert not Benchmark.objects.filter(action__in=kept.values("pk")).exists()


# Measured, then fixed here: a change that adds queries to the dashboard must say so.
# With the warning badge, the open warnings, commitments (by kind, the missed ones), the clock (4) and the
# risk map's open warnings by country, the regions' names for the bars (apart from the count of actions), the
# closed actions' tally (apart from the open ones) and their benchmarks', and the completions the median is
# taken over.
DASHBOARD_QUERIES = 26


def test_eosg_sees_the_open_warnings_past_their_deadline_first(login, country_a, officer_a, eosg, time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 4, 8, tzinfo=dt.UTC), tick=False)
    for severity in ("serious", "imminent"):
        scan_services.alert_raise(country=country_a, actor=officer_a, title=f"A {severity} alert", location="North",
                                  severity=severity, description="d")
    time_machine.move_to(dt.datetime(2026, 5, 4, 20, tzinfo=dt.UTC), tick=False)
    page = login(eosg).get(URL).content.decode()
    section = page[page.index('id="open-warnings"'):page.index('id="warnings"')]
    assert section.index("Imminent") < section.index("Serious") and section.count("past deadline") == 1
