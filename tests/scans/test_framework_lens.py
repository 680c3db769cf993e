"""The Framework of Analysis lens, against hand-computed scans: a scan's ratings rolled up to the fourteen
risk factors and the three crime groups, "no information" kept apart from "not observed", case-specific
indicators counted once mapped, shown on the scan page, and a mapping changed in the admin audited."""

import datetime as dt

import pytest
from django.urls import reverse

from hruf.models import AuditEvent
from scans import services
from scans.framework import framework_lens
from scans.models import CaseIndicator, Rating, RiskFactor
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")


def _rated(country, officer, ratings: dict[str, int | None]):
    """A submitted scan with these indicators rated (by code), every other one left unrated."""
    scan = file_scan(country, officer, Q3, rating=0)
    revision = scan.submitted_revision
    for rating in revision.ratings.select_related("indicator"):
        rating.rating = ratings.get(rating.indicator.code)
        rating.save()
    return list(revision.ratings.select_related("indicator", "case_indicator"))


def _by_number(lens) -> dict[int, object]:
    return {f.number: f for g in lens for f in g.factors}


def test_a_severe_hate_speech_rating_shows_factors_8_9_10_severe_and_flags_genocide(country_a, officer_a):
    lens = framework_lens(_rated(country_a, officer_a, {"hate-speech": 3}))
    factors = _by_number(lens)
    assert {n: factors[n].level for n in (8, 9, 10)} == {8: 3, 9: 3, 10: 3}
    assert [s.label for s in factors[9].sources] == ["Hate speech and incitement against groups"]
    groups = {g.key: g for g in lens}
    assert groups["genocide"].flagged and groups["common"].flagged  # factor 8 is a common factor
    assert not groups["crimes_against_humanity"].flagged and groups["crimes_against_humanity"].level is None
    # Nothing else was rated: those factors have no information, which is not "not observed".
    assert [f.number for f in groups["war_crimes"].unknown] == [13, 14]
    assert {n for n, f in factors.items() if f.level is None} == set(range(1, 15)) - {8, 9, 10}


def test_a_factor_takes_the_highest_rating_behind_it_and_0_is_information(country_a, officer_a):
    lens = framework_lens(_rated(country_a, officer_a, {"extremist-ideology": 1, "hate-speech": 2,
                                                        "humanitarian-access": 0}))
    factors = _by_number(lens)
    assert factors[10].level == 2 and factors[4].level == 1  # 10 is informed by both; 4 by ideology only
    assert factors[14].level == 0  # rated "not observed": information, not flagged
    groups = {g.key: g for g in lens}
    assert not groups["war_crimes"].flagged and groups["war_crimes"].level == 0
    assert groups["genocide"].flagged


def test_a_case_indicator_counts_once_mapped(country_a, officer_a):
    case = services.case_indicator_add(country=country_a, actor=officer_a, name="Checkpoints on the road north")
    scan = file_scan(country_a, officer_a, Q3, rating=0)
    Rating.objects.filter(case_indicator=case).update(rating=3)
    ratings = list(scan.submitted_revision.ratings.select_related("indicator", "case_indicator"))
    # No matrix indicator informs factor 12, and the unmapped case indicator does not either.
    assert _by_number(framework_lens(ratings))[12].level is None
    case.risk_factors.set(RiskFactor.objects.filter(number=12))
    factor = _by_number(framework_lens(ratings))[12]
    assert factor.level == 3 and factor.sources[0].label == "Checkpoints on the road north"


def test_the_lens_costs_the_same_queries_for_any_number_of_ratings(country_a, officer_a, django_assert_num_queries):
    ratings = _rated(country_a, officer_a, {"hate-speech": 3, "armed-groups": 2})
    with django_assert_num_queries(2):  # the factors and the indicators' mapping (no case-specific ones here)
        framework_lens(ratings)


def test_the_scan_page_shows_the_lens_with_links_to_the_ratings(login, country_a, officer_a, chair_a):
    ratings = _rated(country_a, officer_a, {"hate-speech": 3})
    hate = next(r for r in ratings if r.indicator.code == "hate-speech")
    html = login(chair_a).get(reverse("scans:scan_detail", args=[hate.revision.scan_id])).content.decode()
    lens = html[html.index('id="framework"'):html.index('id="ratings"')]
    assert "Genocide" in lens and "flagged" in lens and "no information" in lens
    assert f'href="#rating-{hate.pk}"' in lens and f'id="rating-{hate.pk}"' in html


def test_a_mapping_changed_in_the_admin_is_audited(login, admin_user, country_a, officer_a):
    case = services.case_indicator_add(country=country_a, actor=officer_a, name="Checkpoints")
    client = login(admin_user)
    url = reverse("admin:scans_caseindicator_change", args=[case.pk])
    factor = RiskFactor.objects.get(number=7)
    response = client.post(url, {"country": country_a.pk, "name": "Checkpoints", "question": "", "guidance": "",
                                 "active": "on", "risk_factors": [factor.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(CaseIndicator.objects.get(pk=case.pk).risk_factors.all()) == [factor]
    event = AuditEvent.objects.get(object_type="scans.caseindicator", object_id=str(case.pk), detail__step="links")
    assert event.changes == {"risk_factors": [[], [factor.pk]]} and event.actor == admin_user


def test_an_agenda_card_shows_the_lens_live_then_frozen_at_publication(login, region_a, country_a, officer_a, chair_a):
    from reviews import services as reviews
    from reviews.models import AgendaItem

    _rated(country_a, officer_a, {"hate-speech": 3})
    meeting = reviews.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 9, 25), chair=chair_a)
    if not AgendaItem.objects.filter(meeting=meeting, country=country_a, included=True).exists():
        reviews.agenda_add(actor=chair_a, meeting=meeting, country=country_a, reason="r",
                           lock_version=meeting.lock_version)
        meeting.refresh_from_db()
    client = login(chair_a)
    page = reverse("reviews:meeting_detail", args=[meeting.pk])
    assert "Framework of Analysis:" in client.get(page).content.decode()  # live while in preparation

    reviews.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    item = AgendaItem.objects.get(meeting=meeting, country=country_a)
    assert item.snap_framework["levels"]["9"] == 3 and item.snap_framework["levels"]["12"] is None
    # A new scan after publication changes nothing the meeting saw.
    Rating.objects.filter(revision=item.snap_revision).update(rating=0)
    file_scan(country_a, officer_a, Q3.next(), rating=0)
    for url in (page, reverse("reviews:meeting_print", args=[meeting.pk])):
        html = client.get(url).content.decode()
        card = html[html.index("Framework of Analysis:"):]
        assert "Genocide" in card[:card.index("</p>")] and "no information on risk factors" in card[:card.index("</p>")]
