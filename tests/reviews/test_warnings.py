"""Reviews answer the warnings ledger: live proposals, publication only with every warning answered,
deferrals that roll forward, and the timeline from warning to first action, told to the field."""

import datetime as dt

import pytest

from followup import services as followup
from hruf.models import Entity, Notification
from reviews import services
from reviews.models import Decision
from reviews.reasons import render_reasons
from scans import ledger
from scans import services as scan_services
from scans.models import EarlyWarning
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q2, Q3, Q4 = Period.parse("2026-Q2"), Period.parse("2026-Q3"), Period.parse("2026-Q4")


def _rqr(region, chair, quarter=Q3, day=dt.date(2026, 9, 25)):
    return services.rqr_create(actor=chair, region=region, quarter=quarter, date=day, chair=chair)


def _publish(meeting, chair):
    meeting.refresh_from_db()
    return services.agenda_publish(meeting=meeting, actor=chair, lock_version=meeting.lock_version)


def _record(item, user, decision, reason=""):
    item.refresh_from_db()
    return services.item_record(item=item, actor=user, lock_version=item.lock_version, summary="Discussed",
                                agreed_tier="", agreed_tier_reason="", decision=decision, decision_reason=reason,
                                dissent="")


def _alert(country, officer, severity="severe"):
    return scan_services.alert_raise(country=country, actor=officer, title="Attack on the camp", location="North",
                                     severity=severity, description="d")


def _told(user, code):
    return [n.subject for n in Notification.objects.filter(recipient=user, code=code).order_by("pk")]


def test_publication_needs_every_open_warning_on_the_agenda_or_deferred(
    region_a, country_a, country_b, officer_a, officer_b, chair_a
):
    file_scan(country_a, officer_a, Q3, rating=3)  # a rise: proposed, on the agenda
    meeting = _rqr(region_a, chair_a)
    assert [i.country for i in meeting.items.all()] == [country_a]
    late = _alert(country_b, officer_b)  # raised after the review was opened
    with pytest.raises(services.ReviewError, match=r"deferred with a reason: Country B \(Urgent alert\)"):
        _publish(meeting, chair_a)
    warning = late.warnings.get()
    with pytest.raises(services.ReviewError, match="Say why"):
        services.warning_defer(meeting=meeting, warning=warning, actor=chair_a, reason="  ")
    services.warning_defer(meeting=meeting, warning=warning, actor=chair_a, reason="The RC handles it this week.")
    with pytest.raises(services.ReviewError, match="already deferred"):
        services.warning_defer(meeting=meeting, warning=warning, actor=chair_a, reason="Again.")
    _publish(meeting, chair_a)

    warning.refresh_from_db()
    assert warning.state == "acknowledged" and warning.acknowledgement == "The RC handles it this week."
    assert [s.kind for s in warning.steps.all()] == ["raised", "deferred"]
    rise = EarlyWarning.objects.get(kind="risk_rise")
    assert rise.state == "on_agenda" and list(rise.agenda_items.all()) == list(meeting.items.all())
    # Deferred is not forgotten: the region's next review proposes it again.
    following = _rqr(region_a, chair_a, Q4, dt.date(2026, 12, 10))
    item_b = following.items.get(country=country_b)
    assert "1 open warning waits for this review." in render_reasons(item_b.proposal_reasons)


def test_the_agenda_page_shows_warnings_raised_since_the_review_was_opened(
    login, region_a, country_a, country_b, officer_a, officer_b, chair_a
):
    file_scan(country_a, officer_a, Q3, rating=3)
    meeting = _rqr(region_a, chair_a)
    _alert(country_b, officer_b)
    page = login(chair_a).get(f"/reviews/{meeting.pk}/").content.decode()
    assert "Open warnings of the region" in page
    assert page.count("new since this review was opened") == 1
    assert page.count("not answered yet") == 1  # Country A's rise is on the agenda with its country


def test_a_silent_country_at_high_risk_is_proposed_with_its_reason(region_a, country_a, officer_a, chair_a):
    file_scan(country_a, officer_a, Q2, rating=3)  # very high in Q2, nothing in Q3
    EarlyWarning.objects.all().delete()
    item = _rqr(region_a, chair_a).items.get()
    assert render_reasons(item.proposal_reasons)[-1] == (
        "No scan for the quarter: a country at high risk or under follow-up has gone silent.")


def test_a_warning_travels_from_alert_to_first_action_and_the_field_hears_each_step(
    region_a, country_a, officer_a, chair_a, eosg, owner
):
    alert = _alert(country_a, officer_a)
    warning = alert.warnings.get()
    ledger.warning_acknowledge(warning=warning, actor=chair_a, note="Putting it on the review.")
    meeting = _rqr(region_a, chair_a)
    item = meeting.items.get()  # proposed for its alert and its open warning
    _publish(meeting, chair_a)
    _record(item, chair_a, Decision.PLAN, "A plan within two weeks.")
    warning.refresh_from_db()
    assert warning.state == "decided" and warning.act_by > warning.raised_at
    plan = followup.plan_create(
        country=country_a, actor=chair_a, title="Protect the camp", source_item=item, today=dt.date(2026, 9, 26),
        actions=[followup.ActionDraft(title="Deploy a team", lead_entity=Entity.objects.get(code="OHCHR"),
                                      owner=owner, deadline=dt.date(2026, 10, 30))],
    )
    action = plan.actions.get()
    followup.action_update(action=action, actor=owner, lock_version=action.lock_version, status="done", text="Deployed.",
                           evidence="Team in the field")
    warning.refresh_from_db()
    assert warning.state == "closed"
    assert [s.kind for s in warning.steps.all()] == [
        "raised", "acknowledged", "on_agenda", "decided", "commitment", "plan_adopted", "closed", "commitment",
        "first_action"]
    assert len(_told(officer_a, "scans.warning_acknowledged")) == 1
    assert _told(officer_a, "reviews.on_agenda") == ["Country A is on the agenda of RQR Region A 2026-Q3"]
    assert _told(officer_a, "reviews.decided") == ["RQR Region A 2026-Q3 on Country A: Adopt a follow-up plan"]
    assert _told(officer_a, "followup.plan_adopted") == ["A follow-up plan was adopted for Country A"]


def test_an_escalation_is_headquarters_warning_until_the_sag_decides(
    region_a, country_a, officer_a, chair_a, sag, eosg
):
    file_scan(country_a, officer_a, Q3, rating=3)
    meeting = _rqr(region_a, chair_a)
    _publish(meeting, chair_a)
    item = meeting.items.get()
    _record(item, chair_a, Decision.ESCALATE, "Mass killings feared.")
    item.refresh_from_db()
    escalation = item.escalation_warning
    assert (escalation.kind, escalation.state) == ("escalation", "raised")
    assert EarlyWarning.objects.get(kind="risk_rise").state == "closed"  # answered: it went up
    with pytest.raises(services.ReviewError):
        services.warning_defer(meeting=meeting, warning=escalation, actor=chair_a, reason="x")
    sag_meeting = services.sag_create(actor=eosg, date=dt.date(2026, 10, 5))
    taken = services.sag_take(meeting=sag_meeting, actor=eosg, lock_version=sag_meeting.lock_version, source_item=item)
    escalation.refresh_from_db()
    assert escalation.state == "on_agenda" and list(escalation.agenda_items.all()) == [taken]
    _publish(sag_meeting, eosg)
    _record(taken, eosg, Decision.MONITOR)
    escalation.refresh_from_db()
    assert escalation.state == "closed"
    assert _told(officer_a, "reviews.decided")[-1] == "SAG 2026-10-05 on Country A: Keep monitoring"


def test_the_chairs_home_lists_open_warnings_past_deadline_first(login, country_a, officer_a, chair_a, time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 4, 8, tzinfo=dt.UTC), tick=False)
    _alert(country_a, officer_a, "serious")  # 72 hours
    time_machine.move_to(dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC), tick=False)
    _alert(country_a, officer_a, "imminent")  # 4 hours: its deadline comes first
    time_machine.move_to(dt.datetime(2026, 5, 4, 20, tzinfo=dt.UTC), tick=False)
    page = login(chair_a).get("/").content.decode()
    rows = page[page.index("Open warnings"):]
    assert rows.index("Imminent") < rows.index("Serious") and rows.count("past deadline") == 1
