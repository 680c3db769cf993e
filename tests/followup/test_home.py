"""Every role's home shows that person's work: the SAG member's waiting cases and meetings, EOSG's desk
(warnings past deadline, actions escalated to EOSG, decisions not carried out, coverage gaps), the owner's
actions by urgency; several roles, several sections; nobody with a role is told they have none; each home
costs the same number of queries however much waits on it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from followup.models import Action
from hruf.models import Role
from reviews import services as reviews
from reviews.models import AgendaItem, Commitment, Decision, Meeting
from scans import services as scans
from scans.models import Alert
from scans.periods import Period

from ..factories import CountryFactory, UserFactory, grant

pytestmark = pytest.mark.usefixtures("matrix")
HOME = reverse("home")
NOW = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW, tick=False)


def _escalate(region, chair, n: int = 1) -> list[AgendaItem]:
    meeting = Meeting.objects.rqr().filter(region=region).first() or reviews.rqr_create(
        actor=chair, region=region, quarter=Period.parse("2026-Q3"), date=dt.date(2026, 9, 25), chair=chair)
    return AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, country=CountryFactory(region=region), decision=Decision.ESCALATE,
                   decision_reason=f"Killings reported in the north ({k})", recorded_by=chair,
                   recorded_at=timezone.now())
        for k in range(n)
    )


def _flag(country, officer, chair, n: int = 1) -> None:
    for k in range(n):
        Alert.objects.create(country=country, title=f"Militia convoy {k}", location="North", severity="severe",
                             description="d", raised_by=officer, sag_flagged_at=timezone.now(), sag_flagged_by=chair,
                             sag_flag_reason="Beyond the region's means")


def _overdue_at_eosg(make_plan, n: int = 1) -> list[Action]:
    actions = [make_plan(dt.date(2026, 9, 1), dt.date(2026, 8, 1), title=f"Deploy a team {k}") for k in range(n)]
    Action.objects.filter(pk__in=[a.pk for a in actions]).update(overdue_step=3)
    return actions


def _queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_sag_member_lands_on_the_cases_waiting_for_the_sag(login, sag, eosg, region_a, chair_a, country_a,
                                                               officer_a):
    [case] = _escalate(region_a, chair_a)
    _flag(country_a, officer_a, chair_a)
    meeting = reviews.sag_create(actor=eosg, date=dt.date(2026, 10, 20), members=[sag])
    html = login(sag).get(HOME).content.decode()
    assert "Waiting for the Senior Action Group" in html
    assert case.country.name in html and "Killings reported in the north" in html
    assert "Militia convoy 0" in html
    assert reverse("reviews:meeting_detail", args=[meeting.pk]) in html and "you are a member" in html
    assert "Countries I follow" not in html  # not the table of every country
    assert "You have no role" not in html


def test_a_case_taken_by_a_sag_agenda_leaves_the_sag_members_home(login, sag, eosg, region_a, chair_a):
    [case] = _escalate(region_a, chair_a)
    meeting = reviews.sag_create(actor=eosg, date=dt.date(2026, 10, 20))
    AgendaItem.objects.create(meeting=meeting, country=case.country, source_item=case)
    assert "Killings reported in the north" not in login(sag).get(HOME).content.decode()


def test_eosg_lands_on_what_waits_for_eosg(login, eosg, region_a, region_b, chair_a, country_a, country_c, officer_a,
                                          make_plan, time_machine):
    alert = scans.alert_raise(country=country_a, actor=officer_a, title="Shots at the market", location="Town",
                              severity="imminent", description="d")
    [action] = _overdue_at_eosg(make_plan)
    [item] = _escalate(region_a, chair_a)
    Commitment.objects.create(item=item, kind="sag", created_at=NOW - dt.timedelta(days=40),
                              due_at=NOW - dt.timedelta(days=10))
    time_machine.move_to(NOW + dt.timedelta(days=1), tick=False)  # the imminent alert's hours to acknowledge are past
    html = login(eosg).get(HOME).content.decode()
    assert "Waiting for EOSG" in html
    assert reverse("scans:warning_detail", args=[alert.warnings.get().pk]) in html and "past deadline" in html
    assert reverse("followup:action_detail", args=[action.pk]) in html and "days overdue" in html
    assert item.country.name in html
    # country_c (region B) has no officer, and region B no chair.
    assert "have no field officer" in html and country_c.name in html
    assert "Regions without a chair" in html and region_b.name in html
    assert "You have no role" not in html


def test_eosgs_coverage_gaps_name_countries_and_regions_in_the_readers_language(login, eosg):
    html = login(eosg).get(HOME, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Afrique du Sud" in html and "South Africa" not in html  # no officer anywhere in the test data
    assert "Afrique" in html and "Asie et Pacifique" in html and "Asia and the Pacific" not in html


def test_an_owner_lands_on_their_actions_most_urgent_first(login, owner, make_plan):
    later = make_plan(dt.date(2026, 12, 20), dt.date(2026, 10, 1), title="Train the police")
    late = make_plan(dt.date(2026, 10, 1), dt.date(2026, 9, 1), title="Open a field office")
    html = login(owner).get(HOME).content.decode()
    assert "My actions" in html and "You have no role" not in html
    assert html.index(late.title) < html.index(later.title)
    assert "overdue" in html[html.index(late.title):html.index(later.title)]


def test_someone_with_several_roles_sees_each_section(login, region_a, make_plan, owner, sag):
    grant(owner, Role.CHAIR, region=region_a)
    grant(owner, Role.SAG)
    make_plan(dt.date(2026, 12, 20), dt.date(2026, 10, 1))
    owner.refresh_from_db()
    html = login(owner).get(HOME).content.decode()
    for heading in ("Needs my attention", "Waiting for the Senior Action Group", "My actions"):
        assert heading in html


def test_only_someone_without_any_role_is_told_so(login, db):
    html = login(UserFactory(username="newcomer")).get(HOME).content.decode()
    assert "You have no role yet" in html


@pytest.mark.parametrize("persona", ["sag", "eosg", "owner"])
def test_each_home_costs_the_same_with_one_item_waiting_and_many(request, login, persona, eosg, region_a, chair_a,
                                                                 country_a, officer_a, make_plan):
    user = request.getfixturevalue(persona)
    client = login(user)

    def add(n):
        _escalate(region_a, chair_a, n)
        _flag(country_a, officer_a, chair_a, n)
        _overdue_at_eosg(make_plan, n)
        reviews.sag_create(actor=eosg, date=dt.date(2026, 10, 20) + dt.timedelta(days=n))

    add(1)
    few, _html = _queries(client)
    add(25)
    many, html = _queries(client)
    assert many == few, persona
