"""EOSG answers a recommendation of enhanced reporting once: it confirms it or declines it, saying why."""

import datetime as dt

import pytest
from django.urls import reverse

from hruf.models import AuditEvent, Country, Notification, Role, RoleAssignment
from hruf.notices import render_notice
from reviews import services
from reviews.models import AgendaItem, Decision
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")
TODAY = dt.datetime(2026, 10, 15, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _recorded(region, chair, officer, country, decision=Decision.ENHANCED):
    file_scan(country, officer, Q3, rating=3, evidence="e")
    meeting = services.rqr_create(actor=chair, region=region, quarter=Q3, date=dt.date(2026, 9, 25), chair=chair)
    services.agenda_publish(meeting=meeting, actor=chair, lock_version=meeting.lock_version)
    item = meeting.items.get(country=country)
    return services.item_record(item=item, actor=chair, lock_version=0, summary="s", agreed_tier="",
                                agreed_tier_reason="", decision=decision, decision_reason="Killings", dissent="")


@pytest.fixture
def recommended(region_a, chair_a, officer_a, country_a):
    return _recorded(region_a, chair_a, officer_a, country_a)


def _notices(code):
    return {n.recipient.username: n for n in Notification.objects.filter(code=code).select_related("recipient")}


def test_eosg_declines_a_recommendation_saying_why_and_the_country_stays_quarterly(recommended, eosg, country_a):
    item = services.enhanced_reporting_decline(item=recommended, actor=eosg, reason="  Monthly scans would not add  ")
    assert (item.enhanced_declined_by, item.enhanced_decline_reason) == (eosg, "Monthly scans would not add")
    assert item.enhanced_declined_at == TODAY and item.enhanced_confirmed_at is None
    country_a.refresh_from_db()
    assert (country_a.enhanced_reporting, country_a.monthly_from) == (False, None)
    event = AuditEvent.objects.filter(object_id=str(item.pk), detail__step="enhanced_reporting_declined").get()
    assert (event.actor, event.changes) == (eosg, {
        "enhanced_declined_by": [None, eosg.pk], "enhanced_decline_reason": ["", "Monthly scans would not add"]})


def test_the_chairs_and_officers_hear_a_decline_in_their_language(recommended, eosg):
    services.enhanced_reporting_decline(item=recommended, actor=eosg, reason="Not needed")
    notices = _notices("reviews.enhanced_declined")
    assert set(notices) == {"chair_a", "officer_a"}
    notice = notices["chair_a"]
    assert notice.params == {"country": "Country A", "meeting": recommended.meeting.title_params(),
                             "item_id": recommended.pk, "text": "Not needed"}
    assert render_notice(notice.code, notice.params) == (
        "Enhanced reporting declined for Country A",
        "EOSG declined the recommendation of RQR Region A 2026-Q3. Reason: Not needed",
    )
    assert render_notice(notice.code, notice.params, language="fr")[0] == (
        "Suivi renforcé refusé – Country A"
    )
    assert notice.link == reverse("reviews:meeting_detail", args=[recommended.meeting_id])


def test_the_chairs_and_officers_hear_a_confirmation_with_the_month_it_starts(recommended, eosg):
    services.enhanced_reporting_confirm(item=recommended, actor=eosg)
    notices = _notices("reviews.enhanced_confirmed")
    assert set(notices) == {"chair_a", "officer_a"}
    assert notices["officer_a"].params["date"] == "2026-11-01"
    assert render_notice("reviews.enhanced_confirmed", notices["officer_a"].params) == (
        "Enhanced reporting confirmed for Country A",
        "EOSG confirmed the recommendation of RQR Region A 2026-Q3: Country A reports monthly from 2026-11-01, "
        "quarterly until then.",
    )


def test_a_region_without_a_chair_has_eosg_told_instead(recommended, eosg, chair_a):
    RoleAssignment.objects.filter(user=chair_a, role=Role.CHAIR).delete()
    services.enhanced_reporting_decline(item=recommended, actor=eosg, reason="No")
    assert set(_notices("reviews.enhanced_declined")) == {"eosg", "officer_a"}


def test_a_decline_needs_a_reason_of_a_sensible_length(recommended, eosg):
    for reason in ("", "   \n"):
        with pytest.raises(services.ReviewError, match="Say why enhanced reporting is declined"):
            services.enhanced_reporting_decline(item=recommended, actor=eosg, reason=reason)
    with pytest.raises(services.ReviewError, match="within 4000 characters"):
        services.enhanced_reporting_decline(item=recommended, actor=eosg, reason="x" * 4001)
    assert AgendaItem.objects.get(pk=recommended.pk).enhanced_awaits_eosg
    assert not Notification.objects.filter(code="reviews.enhanced_declined").exists()


@pytest.mark.parametrize("first,second,said", [
    ("confirm", "confirm", "already confirmed by eosg on 15 October 2026"),
    ("confirm", "decline", "already confirmed by eosg on 15 October 2026"),
    ("decline", "confirm", "already declined by eosg on 15 October 2026"),
    ("decline", "decline", "already declined by eosg on 15 October 2026"),
])
def test_a_second_answer_is_refused_saying_what_already_happened(recommended, eosg, country_a, first, second, said):
    answer = {
        "confirm": lambda item: services.enhanced_reporting_confirm(item=item, actor=eosg),
        "decline": lambda item: services.enhanced_reporting_decline(item=item, actor=eosg, reason="No"),
    }
    answer[first](recommended)
    stale = AgendaItem.objects.get(pk=recommended.pk)
    before = Country.objects.filter(pk=country_a.pk).values("enhanced_reporting", "monthly_from").get()
    with pytest.raises(services.ReviewError, match=f"Enhanced reporting for Country A was {said}"):
        answer[second](stale)
    assert Country.objects.filter(pk=country_a.pk).values("enhanced_reporting", "monthly_from").get() == before
    assert Notification.objects.filter(code__startswith="reviews.enhanced_").count() == 2  # chair and officer, once


def test_a_stale_copy_loses_to_the_answer_given_meanwhile(recommended, eosg):
    """Two EOSG tabs: the second answer reads the item before the first is written, and is refused."""
    tab = AgendaItem.objects.get(pk=recommended.pk)
    services.enhanced_reporting_decline(item=recommended, actor=eosg, reason="No")
    with pytest.raises(services.ReviewError, match="already declined"):
        services.enhanced_reporting_confirm(item=tab, actor=eosg)
    assert AgendaItem.objects.get(pk=recommended.pk).enhanced_confirmed_at is None


def test_only_a_recommendation_of_enhanced_reporting_is_answered(region_a, chair_a, officer_a, country_a, eosg):
    item = _recorded(region_a, chair_a, officer_a, country_a, decision=Decision.PLAN)
    with pytest.raises(services.ReviewError, match="does not recommend enhanced reporting"):
        services.enhanced_reporting_decline(item=item, actor=eosg, reason="No")
    with pytest.raises(services.ReviewError, match="does not recommend enhanced reporting"):
        services.enhanced_reporting_confirm(item=item, actor=eosg)


# --- the meeting page ----------------------------------------------------------------------------


def _page(client, item):
    return client.get(reverse("reviews:meeting_detail", args=[item.meeting_id])).content.decode()


def test_eosg_finds_confirm_and_a_labelled_decline_beside_it(recommended, eosg, chair_a, login):
    page = _page(login(eosg), recommended)
    assert reverse("reviews:enhanced_confirm", args=[recommended.meeting_id, recommended.pk]) in page
    assert reverse("reviews:enhanced_decline", args=[recommended.meeting_id, recommended.pk]) in page
    field = f"decline-{recommended.pk}-reason"
    assert f'<label class="form-label small mb-0" for="id_{field}">Why EOSG declines enhanced reporting<span class="asteriskField">*</span></label>' in page
    assert f'name="{field}"' in page and f'id="id_{field}"' in page
    assert "Decline enhanced reporting for Country A" in page
    assert "Decline enhanced reporting" not in _page(login(chair_a), recommended)


def test_declining_from_the_page_records_it_and_shows_the_outcome(recommended, eosg, login):
    client = login(eosg)
    url = reverse("reviews:enhanced_decline", args=[recommended.meeting_id, recommended.pk])
    response = client.post(url, {f"decline-{recommended.pk}-reason": "Not needed now"}, follow=True)
    page = response.content.decode()
    assert "Enhanced reporting for Country A declined." in page
    assert "declined by eosg on 15 Oct 2026" in page and "Not needed now" in page
    assert "Decline enhanced reporting for Country A" not in page  # answered: no more buttons
    assert AgendaItem.objects.get(pk=recommended.pk).enhanced_decline_reason == "Not needed now"


def test_a_refused_decline_keeps_what_was_typed(recommended, eosg, login):
    client = login(eosg)
    url = reverse("reviews:enhanced_decline", args=[recommended.meeting_id, recommended.pk])
    empty = client.post(url, {f"decline-{recommended.pk}-reason": ""})
    assert empty.status_code == 400
    field = f"id_decline-{recommended.pk}-reason"
    assert f'aria-describedby="{field}_error"' in empty.content.decode()
    assert f'id="{field}_error" role="alert">Say why enhanced reporting is declined.</div>' in empty.content.decode()

    services.enhanced_reporting_confirm(item=recommended, actor=eosg)  # someone else confirmed meanwhile
    late = client.post(url, {f"decline-{recommended.pk}-reason": "Typed with care"})
    page = late.content.decode()
    assert late.status_code == 400
    assert "Enhanced reporting for Country A was already confirmed by eosg on 15 October 2026." in page
    assert "Typed with care</textarea>" in page
    assert "confirmed by eosg on 15 Oct 2026" in page  # the record beside the form says what happened


def test_confirming_from_the_page_says_when_monthly_reporting_starts(recommended, eosg, login):
    response = login(eosg).post(reverse("reviews:enhanced_confirm", args=[recommended.meeting_id, recommended.pk]),
                                follow=True)
    assert "Confirmed: Country A reports monthly from 1 November 2026, quarterly until then." in (
        response.content.decode())


# --- the API ---------------------------------------------------------------------------------------


def _api(item, answer):
    return f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/enhanced-reporting/{answer}/"


def test_the_api_confirms_and_refuses_a_second_answer(recommended, eosg, login, country_a):
    client = login(eosg)
    confirmed = client.post(_api(recommended, "confirm"), {}, content_type="application/json")
    assert confirmed.status_code == 200
    assert confirmed.json()["enhanced_confirmed_by"] == eosg.pk and confirmed.json()["enhanced_confirmed_at"]
    country_a.refresh_from_db()
    assert country_a.monthly_from == dt.date(2026, 11, 1)
    again = client.post(_api(recommended, "decline"), {"reason": "No"}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["non_field_errors"] == [
        "Enhanced reporting for Country A was already confirmed by eosg on 15 October 2026."]


def test_the_api_declines_with_a_reason_and_checks_who_asks(recommended, eosg, chair_a, login):
    client = login(chair_a)
    assert client.post(_api(recommended, "decline"), {"reason": "No"}, content_type="application/json").status_code == 403
    client = login(eosg)
    missing = client.post(_api(recommended, "decline"), {}, content_type="application/json")
    assert missing.status_code == 400 and "reason" in missing.json()["error"]["fields"]
    declined = client.post(_api(recommended, "decline"), {"reason": "Not needed"}, content_type="application/json")
    assert declined.status_code == 200
    body = declined.json()
    assert (body["enhanced_declined_by"], body["enhanced_decline_reason"]) == (eosg.pk, "Not needed")
    assert body["enhanced_confirmed_at"] is None
