"""Meeting pages keep the chair's place: each change returns to that country's card (the URL's fragment),
a jump list names the agenda's countries, several positions are saved at once, publishing asks first and
says what the agenda lacks, a recorded decision shows as recorded with its form behind "change", a GET on
a form's address goes to its page, and the SAG is not offered an escalation it would refuse."""

import datetime as dt

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import AgendaItem, Meeting
from scans import services as scans
from scans.periods import Period

from ..factories import CountryFactory, file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")


@pytest.fixture
def rqr(region_a, chair_a, country_a, country_b, officer_a):
    file_scan(country_a, officer_a, Q3, rating=3)
    return services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 9, 25), chair=chair_a)


def _lock(meeting) -> int:
    return Meeting.objects.get(pk=meeting.pk).lock_version


def _add(client, meeting, country, reason="To discuss") -> str:
    return client.post(reverse("reviews:agenda_add", args=[meeting.pk]),
                       {"country": country.pk, "reason": reason, "lock_version": _lock(meeting)}).url


def test_each_change_returns_to_the_countrys_card(login, rqr, chair_a, country_a, country_b, region_a):
    client = login(chair_a)
    page = reverse("reviews:meeting_detail", args=[rqr.pk])
    AgendaItem.objects.filter(meeting=rqr).delete()
    assert _add(client, rqr, country_a) == f"{page}#item-{AgendaItem.objects.get(country=country_a).pk}"
    item_b_url = _add(client, rqr, country_b)
    item_b = AgendaItem.objects.get(meeting=rqr, country=country_b)
    assert item_b_url == f"{page}#item-{item_b.pk}"

    moved = client.post(reverse("reviews:agenda_move", args=[rqr.pk, item_b.pk]),
                        {"direction": "up", "lock_version": _lock(rqr)})
    assert moved.url == f"{page}#item-{item_b.pk}"
    html = client.get(page).content.decode()
    assert f'id="item-{item_b.pk}"' in html and f'href="#item-{item_b.pk}"' in html  # the card and the jump list
    assert html.index(f'id="item-{item_b.pk}"') < html.index(f'id="item-{AgendaItem.objects.get(country=country_a).pk}"')

    removed = client.post(reverse("reviews:agenda_remove", args=[rqr.pk, item_b.pk]),
                          {"reason": "Discussed last month", "lock_version": _lock(rqr)})
    assert removed.url == f"{page}#country-{country_b.pk}"  # its row in the ranked table, where it can come back
    assert f'id="country-{country_b.pk}"' in client.get(page).content.decode()


def test_a_refused_change_returns_to_the_top_where_the_error_is(login, rqr, chair_a, country_a):
    client = login(chair_a)
    item = AgendaItem.objects.filter(meeting=rqr).first() or AgendaItem.objects.get(
        pk=services.agenda_add(actor=chair_a, meeting=rqr, country=country_a, reason="r",
                               lock_version=_lock(rqr)).pk)
    stale = client.post(reverse("reviews:agenda_move", args=[rqr.pk, item.pk]),
                        {"direction": "up", "lock_version": _lock(rqr) + 5})
    assert stale.url == reverse("reviews:meeting_detail", args=[rqr.pk])
    assert "Someone else changed this" in client.get(stale.url).content.decode()


def test_several_positions_are_saved_at_once(login, rqr, chair_a, region_a):
    client = login(chair_a)
    AgendaItem.objects.filter(meeting=rqr).delete()
    countries = [CountryFactory(region=region_a, name=f"Country {c}") for c in "PQRS"]
    for country in countries:
        _add(client, rqr, country)
    items = {i.country.name: i for i in AgendaItem.objects.filter(meeting=rqr).select_related("country")}
    html = client.get(reverse("reviews:meeting_detail", args=[rqr.pk])).content.decode()
    assert 'form="reorder"' in html and f'name="position-{items["Country S"].pk}"' in html

    response = client.post(reverse("reviews:agenda_reorder", args=[rqr.pk]), {
        "lock_version": _lock(rqr), f"position-{items['Country S'].pk}": "1", f"position-{items['Country R'].pk}": "2",
        f"position-{items['Country P'].pk}": "3", f"position-{items['Country Q'].pk}": "4"})
    assert response.url.endswith("#agenda-heading")
    order = list(AgendaItem.objects.filter(meeting=rqr).included().order_by("position").values_list("country__name",
                                                                                                     flat=True))
    assert order == ["Country S", "Country R", "Country P", "Country Q"]  # one request, not five


def test_a_reorder_with_a_bad_position_or_a_stale_page_moves_nothing(login, rqr, chair_a, region_a):
    client = login(chair_a)
    AgendaItem.objects.filter(meeting=rqr).delete()
    for name in "PQ":
        _add(client, rqr, CountryFactory(region=region_a, name=f"Country {name}"))
    before = list(AgendaItem.objects.filter(meeting=rqr).order_by("position").values_list("pk", flat=True))
    first = before[0]
    bad = client.post(reverse("reviews:agenda_reorder", args=[rqr.pk]),
                      {"lock_version": _lock(rqr), f"position-{first}": "last"})
    assert "whole number" in client.get(bad.url).content.decode()
    stale = client.post(reverse("reviews:agenda_reorder", args=[rqr.pk]),
                        {"lock_version": _lock(rqr) + 5, f"position-{first}": "2"})
    assert "Someone else changed this" in client.get(stale.url).content.decode()
    assert list(AgendaItem.objects.filter(meeting=rqr).order_by("position").values_list("pk", flat=True)) == before


def test_publishing_asks_first_and_says_what_the_agenda_lacks(login, rqr, chair_a, country_a, country_b, officer_b):
    scans.alert_raise(country=country_b, actor=officer_b, title="Attack", location="x", severity="severe",
                      description="d")
    client = login(chair_a)
    page = client.get(reverse("reviews:meeting_detail", args=[rqr.pk])).content.decode()
    assert f'href="{reverse("reviews:agenda_publish", args=[rqr.pk])}"' in page  # a link to the question, not a POST

    confirm = client.get(reverse("reviews:agenda_publish", args=[rqr.pk]))
    html = confirm.content.decode()
    assert confirm.status_code == 200 and Meeting.objects.get(pk=rqr.pk).in_preparation  # nothing published yet
    assert "have no scan for the quarter" in html or "has no scan for the quarter" in html
    assert country_b.name in html and "neither on the agenda nor deferred" in html
    assert "Publish and freeze the agenda" in html


def test_a_recorded_decision_shows_as_recorded_with_its_form_behind_change(login, rqr, chair_a, country_a):
    item = AgendaItem.objects.filter(meeting=rqr, included=True).first() or services.agenda_add(
        actor=chair_a, meeting=rqr, country=country_a, reason="r", lock_version=_lock(rqr))
    services.agenda_publish(meeting=Meeting.objects.get(pk=rqr.pk), actor=chair_a, lock_version=_lock(rqr))
    item.refresh_from_db()
    services.item_record(item=item, actor=chair_a, lock_version=item.lock_version, summary="Talked it through",
                         agreed_tier="", agreed_tier_reason="", decision="monitor", decision_reason="", dissent="")
    html = login(chair_a).get(reverse("reviews:meeting_detail", args=[rqr.pk])).content.decode()
    card = html[html.index(f'id="item-{item.pk}"'):]
    assert card.index("Talked it through") < card.index("<details") < card.index("Change the decision on")


def test_a_get_on_a_forms_address_goes_to_its_page(login, rqr, chair_a):
    response = login(chair_a).get(reverse("reviews:agenda_reorder", args=[rqr.pk]))
    assert response.status_code == 302 and response.url == reverse("reviews:meeting_detail", args=[rqr.pk])
    assert login(chair_a).get(reverse("followup:action_update", args=[999999])).url == reverse(
        "followup:action_detail", args=[999999])  # the page answers 404 itself: the redirect tells nothing


def test_the_sag_is_not_offered_an_escalation_it_would_refuse(login, sag, eosg, rqr, chair_a, country_a):
    meeting = services.sag_create(actor=eosg, date=dt.date(2026, 10, 20), members=[sag])
    AgendaItem.objects.create(meeting=meeting, country=country_a)
    meeting.refresh_from_db()
    services.agenda_publish(meeting=meeting, actor=sag, lock_version=meeting.lock_version)
    html = login(sag).get(reverse("reviews:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'value="monitor"' in html and 'value="escalate"' not in html
