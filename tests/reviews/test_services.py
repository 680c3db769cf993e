import datetime as dt

import pytest
from django.core import mail

from hruf.models import Notification, User
from reviews import services
from reviews.models import AgendaItem, Decision, Meeting
from reviews.reasons import render_reasons
from reviews.selectors import sag_candidates
from scans import services as scan_services
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q2, Q3 = Period.parse("2026-Q2"), Period.parse("2026-Q3")
DAY = dt.date(2026, 9, 25)


@pytest.fixture
def region_scans(country_a, country_b, officer_a, officer_b):
    file_scan(country_a, officer_a, Q2, rating=1)
    file_scan(country_a, officer_a, Q3, rating=3, evidence="Massacre in the north")  # very high, +67
    file_scan(country_b, officer_b, Q2, rating=0)  # nothing for Q3: missing


def _rqr(region, chair):
    return services.rqr_create(actor=chair, region=region, quarter=Q3, date=DAY, chair=chair)


def _record(item, user, **changes):
    fields = dict(summary="Discussed", agreed_tier="", agreed_tier_reason="", decision=Decision.MONITOR,
                  decision_reason="", dissent="")
    fields.update(changes)
    item.refresh_from_db()
    return services.item_record(item=item, actor=user, lock_version=item.lock_version, **fields)


def test_creating_a_review_proposes_the_riskiest_countries_with_reasons(region_scans, region_a, chair_a, country_a):
    meeting = _rqr(region_a, chair_a)
    (item,) = meeting.items.all()
    assert item.country == country_a
    assert render_reasons(item.proposal_reasons) == [
        "Tier is very high.", "Score rose by 67 points since the previous scan.", "1 open warning waits for this review."]


def test_one_review_per_region_and_quarter(region_a, chair_a):
    _rqr(region_a, chair_a)
    with pytest.raises(services.ReviewError, match="already has a review"):
        _rqr(region_a, chair_a)


def test_it_refuses_a_country_outside_the_region_and_a_removal_without_reason(region_scans, region_a, chair_a, country_c):
    meeting = _rqr(region_a, chair_a)
    with pytest.raises(services.ReviewError, match="not in Region A"):
        services.agenda_add(actor=chair_a, meeting=meeting, country=country_c, reason="x", lock_version=meeting.lock_version)
    with pytest.raises(services.ReviewError, match="say why it is taken off"):
        services.agenda_remove(actor=chair_a, item=meeting.items.get(), reason=" ", lock_version=meeting.lock_version)
    assert meeting.items.included().count() == 1


def test_a_stale_agenda_edit_is_refused(region_scans, region_a, chair_a, country_b):
    meeting = _rqr(region_a, chair_a)
    stale = meeting.lock_version
    services.agenda_add(actor=chair_a, meeting=meeting, country=country_b, reason="Missing scan", lock_version=stale)
    other_tab = Meeting.objects.get(pk=meeting.pk)
    with pytest.raises(services.StaleEdit):
        services.agenda_remove(actor=chair_a, item=other_tab.items.get(country=country_b), reason="no", lock_version=stale)
    assert meeting.items.included().count() == 2


def test_an_empty_agenda_cannot_be_published(region_a, chair_a):
    meeting = _rqr(region_a, chair_a)
    with pytest.raises(services.ReviewError, match="empty"):
        services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    assert Meeting.objects.get(pk=meeting.pk).in_preparation


def test_the_published_agenda_stays_true_after_an_amendment(region_scans, region_a, chair_a, country_a, officer_a, country_b):
    meeting = _rqr(region_a, chair_a)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    item = meeting.items.get()
    frozen = (item.snap_score, item.snap_tier, item.snap_revision_id)
    assert frozen[:2] == (100, "very_high") and not item.snap_missing
    assert [r["name"] for r in meeting.snapshot] == ["Country A", "Country B"]
    assert meeting.snapshot[1]["missing"] is True

    scan = country_a.scans.get(period="2026-Q3")
    amendment = scan_services.scan_amend(scan=scan, actor=officer_a)
    data = {r.pk: scan_services.RatingData(rating=0) for r in amendment.ratings.all()}
    scan_services.scan_submit(revision=amendment, actor=officer_a, lock_version=0, ratings=data, narrative="",
                              amendment_reason="Misreported")
    item.refresh_from_db()
    assert (item.snap_score, item.snap_tier, item.snap_revision_id) == frozen
    with pytest.raises(services.ReviewError, match="frozen"):
        services.agenda_add(actor=chair_a, meeting=meeting, country=country_b, reason="late", lock_version=meeting.lock_version)


def test_no_decision_on_an_unpublished_agenda_and_none_escalated_without_reason(region_scans, region_a, chair_a):
    meeting = _rqr(region_a, chair_a)
    item = meeting.items.get()
    with pytest.raises(services.ReviewError, match="once the agenda is published"):
        _record(item, chair_a)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    with pytest.raises(services.RecordIncomplete) as exc:
        _record(item, chair_a, decision=Decision.ESCALATE, agreed_tier="moderate")
    assert set(exc.value.errors) == {"decision_reason", "agreed_tier_reason"}
    assert not AgendaItem.objects.get(pk=item.pk).decision


def test_a_stale_record_is_refused(region_scans, region_a, chair_a):
    meeting = _rqr(region_a, chair_a)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    item = meeting.items.get()
    services.item_record(item=item, actor=chair_a, lock_version=0, summary="first", agreed_tier="", agreed_tier_reason="",
                         decision="monitor", decision_reason="", dissent="")
    with pytest.raises(services.StaleEdit):
        services.item_record(item=AgendaItem.objects.get(pk=item.pk), actor=chair_a, lock_version=0, summary="second",
                             agreed_tier="", agreed_tier_reason="", decision="plan", decision_reason="", dissent="")
    assert AgendaItem.objects.get(pk=item.pk).summary == "first"


def test_an_escalation_reaches_the_next_sag_agenda_with_its_record(region_scans, region_a, chair_a, sag, eosg):
    meeting = _rqr(region_a, chair_a)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    item = meeting.items.get()
    _record(item, chair_a, decision=Decision.ESCALATE, decision_reason="Mass killings feared", dissent="DPO disagrees")
    escalated = Notification.objects.filter(code="reviews.escalated")
    assert set(escalated.values_list("recipient__username", flat=True)) == {"sag", "eosg"}
    items, _alerts = sag_candidates(sag)
    assert list(items) == [item]

    sag_meeting = services.sag_create(actor=sag, date=DAY + dt.timedelta(days=7), members=[sag])
    taken = services.sag_take(actor=sag, meeting=sag_meeting, lock_version=0, source_item=item)
    assert taken.source_item == item and taken.source_item.dissent == "DPO disagrees"
    assert list(sag_candidates(sag)[0]) == []
    services.agenda_publish(meeting=sag_meeting, actor=sag, lock_version=sag_meeting.lock_version)
    with pytest.raises(services.RecordIncomplete):
        _record(taken, sag, decision=Decision.ESCALATE, decision_reason="higher?")
    _record(taken, sag, decision=Decision.PLAN, decision_reason="Deploy a light team")
    assert Notification.objects.filter(recipient=chair_a, code="reviews.sag_decision").exists()


def test_an_alert_flagged_for_the_sag_becomes_a_candidate(country_a, officer_a, chair_a):
    alert = scan_services.alert_raise(country=country_a, actor=officer_a, title="Attack", location="x",
                                      severity="imminent", description="d")
    with pytest.raises(services.ReviewError):
        services.alert_flag_for_sag(alert=alert, actor=chair_a, reason="")
    services.alert_flag_for_sag(alert=alert, actor=chair_a, reason="Imminent threat")
    assert list(sag_candidates(chair_a)[1]) == [alert]


def test_enhanced_reporting_applies_once_eosg_confirms(region_scans, region_a, chair_a, eosg, country_a):
    meeting = _rqr(region_a, chair_a)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    item = meeting.items.get()
    _record(item, chair_a, decision=Decision.ENHANCED)
    country_a.refresh_from_db()
    assert not country_a.enhanced_reporting
    services.enhanced_reporting_confirm(item=item, actor=eosg)
    country_a.refresh_from_db()
    assert country_a.enhanced_reporting


def test_closing_requires_a_decision_on_every_item(region_scans, region_a, chair_a):
    meeting = _rqr(region_a, chair_a)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    services.meeting_advance(actor=chair_a, meeting=meeting, lock_version=meeting.lock_version)
    with pytest.raises(services.ReviewError, match="Country A"):
        services.meeting_advance(actor=chair_a, meeting=meeting, lock_version=meeting.lock_version)
    _record(meeting.items.get(), chair_a)
    services.meeting_advance(actor=chair_a, meeting=meeting, lock_version=meeting.lock_version)
    assert meeting.state == "closed"


def test_a_country_added_by_the_chair_needs_a_reason(region_scans, region_a, chair_a, country_b):
    meeting = _rqr(region_a, chair_a)
    with pytest.raises(services.ReviewError, match="Say why"):
        services.agenda_add(actor=chair_a, meeting=meeting, country=country_b, reason="", lock_version=meeting.lock_version)


def test_an_escalation_and_a_flag_for_the_sag_are_mailed_at_once_to_digest_readers(
    region_scans, region_a, chair_a, country_a, officer_a, sag, eosg, django_capture_on_commit_callbacks
):
    User.objects.filter(pk__in=[sag.pk, eosg.pk]).update(email_mode=User.EmailMode.DIGEST)
    meeting = _rqr(region_a, chair_a)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    with django_capture_on_commit_callbacks(execute=True):
        _record(meeting.items.get(), chair_a, decision=Decision.ESCALATE, decision_reason="Mass killings feared")
    escalated = Notification.objects.filter(code="reviews.escalated")
    assert set(escalated.values_list("recipient__username", "email_state")) == {("sag", "sent"), ("eosg", "sent")}

    alert = scan_services.alert_raise(country=country_a, actor=officer_a, title="Attack", location="x",
                                      severity="serious", description="d")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.alert_flag_for_sag(alert=alert, actor=chair_a, reason="Pattern of attacks")
    assert Notification.objects.get(code="reviews.alert_flagged").email_state == "sent"
    assert [m.to for m in mail.outbox] == [["sag@example.org"]]


def test_a_flag_for_the_sag_reaches_eosg_when_there_is_no_sag_member(country_a, officer_a, chair_a, eosg):
    alert = scan_services.alert_raise(country=country_a, actor=officer_a, title="Attack", location="x",
                                      severity="serious", description="d")
    services.alert_flag_for_sag(alert=alert, actor=chair_a, reason="Pattern of attacks")
    assert list(Notification.objects.filter(code="reviews.alert_flagged").values_list("recipient__username", flat=True)) == ["eosg"]


def test_a_sag_decision_reaches_eosg_when_the_region_has_lost_its_chair(region_scans, region_a, chair_a, sag, eosg):
    meeting = _rqr(region_a, chair_a)
    services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    item = meeting.items.get()
    _record(item, chair_a, decision=Decision.ESCALATE, decision_reason="Mass killings feared")
    User.objects.filter(pk=chair_a.pk).update(is_active=False)
    sag_meeting = services.sag_create(actor=sag, date=DAY + dt.timedelta(days=7), members=[sag])
    taken = services.sag_take(actor=sag, meeting=sag_meeting, lock_version=0, source_item=item)
    services.agenda_publish(meeting=sag_meeting, actor=sag, lock_version=sag_meeting.lock_version)
    _record(taken, sag, decision=Decision.PLAN, decision_reason="Deploy a light team")
    heard = Notification.objects.filter(code="reviews.sag_decision").values_list("recipient__username", flat=True)
    assert list(heard) == ["eosg"]
