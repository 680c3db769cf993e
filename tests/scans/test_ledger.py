"""The warnings ledger: which events are warnings, one per source, acknowledged once, chased on time."""

import datetime as dt
import logging

import pytest
from django.db import connection
from django.utils import timezone

from hruf.models import Country, Notification
from scans import ledger, services
from scans.ledger_sweeps import sweep_silence, sweep_unacknowledged
from scans.models import EarlyWarning, WarningStep
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q1, Q2, Q3 = Period.parse("2026-Q1"), Period.parse("2026-Q2"), Period.parse("2026-Q3")
# Session, user, roles, the page of warnings, the unread count and the warning badge in the navigation.
QUERIES_WARNING_LIST = 6


def _alert(country, officer, severity="imminent"):
    return services.alert_raise(country=country, actor=officer, title="Militia attack", location="North",
                                severity=severity, description="d")


def _subjects(code):
    return sorted(n.subject for n in Notification.objects.filter(code=code))


def _amend(scan, officer, rating):
    revision = services.scan_amend(scan=scan, actor=officer)
    data = {r.pk: services.RatingData(rating=rating, trend="stable", evidence="Seen.", confidence="medium")
            for r in revision.ratings.all()}
    services.scan_submit(revision=revision, actor=officer, lock_version=revision.lock_version, ratings=data,
                         narrative="Wording fixed.", amendment_reason="A typo.")


# --- which scans are warnings ---------------------------------------------------


@pytest.mark.parametrize(("before", "after", "rising"), [
    (None, 2, True),    # a first scan at very high
    (None, 1, False),   # a first scan at moderate
    (0, 3, True),       # low to very high: score and tier rose
    (3, 0, False),      # a fall is never a rise
    (3, 3, False),      # staying at the top tier raises nothing more
    (1, 1, False),
])
def test_it_raises_a_rise_warning_only_for_a_rise(country_a, officer_a, chair_a, before, after, rising):
    if before is not None:
        file_scan(country_a, officer_a, Q1, rating=before)
    EarlyWarning.objects.all().delete()
    Notification.objects.all().delete()
    file_scan(country_a, officer_a, Q2, rating=after)
    assert EarlyWarning.objects.filter(kind="risk_rise").exists() is rising
    assert Notification.objects.filter(code="scans.risk_rose").exists() is rising


def test_the_rise_notice_names_the_period_the_score_and_the_change_and_links_to_that_scan(country_a, officer_a, chair_a):
    file_scan(country_a, officer_a, Q1, rating=0)
    scan = file_scan(country_a, officer_a, Q2, rating=3)
    n = Notification.objects.get(code="scans.risk_rose", recipient=chair_a)
    assert n.subject == "Risk rose in Country A: score 100 (+100), very high, scan of 2026-Q2"
    assert n.link == f"/scans/{scan.pk}/"


def test_a_country_that_keeps_rising_has_one_standing_warning_while_the_first_is_open(country_a, officer_a, chair_a):
    file_scan(country_a, officer_a, Q1, rating=0)
    file_scan(country_a, officer_a, Q2, rating=1)
    third = file_scan(country_a, officer_a, Q3, rating=3)
    warning = EarlyWarning.objects.get()
    assert warning.scan == third and warning.params["score"] == 100
    assert [s.kind for s in warning.steps.all()] == ["raised", "updated"]


def test_an_amendment_updates_its_warning_and_says_nothing_unless_the_rise_is_gone(country_a, officer_a, chair_a):
    file_scan(country_a, officer_a, Q1, rating=0)
    scan = file_scan(country_a, officer_a, Q2, rating=3)
    _amend(scan, officer_a, rating=3)  # a wording fix
    assert EarlyWarning.objects.count() == 1
    assert Notification.objects.filter(recipient=chair_a, code="scans.risk_rose").count() == 1
    _amend(scan, officer_a, rating=0)  # the rise was a mistake
    warning = EarlyWarning.objects.get()
    assert warning.state == "closed"
    assert _subjects("scans.warning_withdrawn") == [
        "Warning withdrawn: the amended scan of Country A for 2026-Q2 no longer shows a rise"]


# --- alerts, acknowledgement ------------------------------------------------------


def test_an_alert_is_a_warning_of_its_severity_that_must_be_acknowledged_in_its_hours(country_a, officer_a, chair_a, eosg):
    alert = _alert(country_a, officer_a, "imminent")
    warning = EarlyWarning.objects.get(alert=alert)
    assert (warning.kind, warning.severity, warning.state) == ("alert", "imminent", "raised")
    assert warning.act_by - warning.raised_at == dt.timedelta(hours=4)
    assert warning.next_step == "The region's chairs acknowledge it."
    assert set(Notification.objects.filter(code="scans.alert_raised").values_list("recipient__username", flat=True)) == {
        "chair_a", "eosg"}


def test_the_first_acknowledgement_stands_and_the_field_hears_of_it(country_a, officer_a, officer_b, chair_a, eosg):
    warning = ledger.warning_for_alert(alert=_alert(country_a, officer_a), actor=officer_a) or EarlyWarning.objects.get()
    ledger.warning_acknowledge(warning=warning, actor=chair_a, note="Calling the RC today.")
    with pytest.raises(ledger.LedgerError, match="Already acknowledged by chair_a .*: Calling the RC today."):
        ledger.warning_acknowledge(warning=warning, actor=eosg, note="Me too.")
    warning.refresh_from_db()
    assert (warning.state, warning.acknowledged_by, warning.acknowledgement) == ("acknowledged", chair_a, "Calling the RC today.")
    told = Notification.objects.filter(code="scans.warning_acknowledged")
    assert set(told.values_list("recipient__username", flat=True)) == {"officer_a"}
    assert told.get().subject == "Urgent alert in Country A acknowledged by chair_a"


@pytest.mark.parametrize("note", ["", "   ", "x" * 1001])
def test_an_empty_or_oversized_note_is_refused(country_a, officer_a, chair_a, note):
    _alert(country_a, officer_a)
    with pytest.raises(ledger.LedgerError):
        ledger.warning_acknowledge(warning=EarlyWarning.objects.get(), actor=chair_a, note=note)
    assert EarlyWarning.objects.get().acknowledged_at is None


# --- the ladder ------------------------------------------------------------------


def test_an_unacknowledged_imminent_alert_climbs_to_eosg_then_the_sag_each_step_once(
    country_a, officer_a, chair_a, eosg, sag, time_machine
):
    start = dt.datetime(2026, 5, 4, 8, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    _alert(country_a, officer_a, "imminent")
    steps = []
    for minutes in range(0, 10 * 60, 5):  # the beat runs every five minutes, twice here
        now = start + dt.timedelta(minutes=minutes)
        steps.append(sweep_unacknowledged(now=now).done + sweep_unacknowledged(now=now).done)
    chased = WarningStep.objects.filter(kind="chased").order_by("at")
    # Past the 4 hours at the first beat after them; past twice the time at the beat that reaches it.
    assert [(s.params["n"], s.at - start) for s in chased] == [
        (1, dt.timedelta(hours=4, minutes=5)), (2, dt.timedelta(hours=8))]
    assert sum(steps) == 2
    by_step = {n.params["step"]: set() for n in Notification.objects.filter(code="scans.warning_unacknowledged")}
    for n in Notification.objects.filter(code="scans.warning_unacknowledged"):
        by_step[n.params["step"]].add(n.recipient.username)
    assert by_step == {1: {"chair_a", "eosg"}, 2: {"sag"}}
    # Urgent: emailed at once, whatever the reader chose.
    assert not Notification.objects.filter(code="scans.warning_unacknowledged", email_state="digest").exists()


def test_the_sag_step_of_the_ladder_reaches_eosg_when_there_is_no_sag_member(
    country_a, officer_a, eosg, time_machine
):
    start = dt.datetime(2026, 5, 4, 8, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    _alert(country_a, officer_a, "imminent")  # region A has no chair either: EOSG acknowledges
    assert sweep_unacknowledged(now=start + dt.timedelta(hours=9)).done == 2
    heard = Notification.objects.filter(code="scans.warning_unacknowledged")
    assert sorted(heard.values_list("params__step", "recipient__username")) == [(1, "eosg"), (2, "eosg")]


def test_news_for_a_country_without_an_officer_goes_to_its_chair_then_eosg(country_a, chair_a, eosg):
    ledger.tell_country(country=country_a, code="scans.warning_withdrawn",
                        params={"country": "Country A", "period": "2026-Q2"}, link="/")
    chair_a.is_active = False
    chair_a.save()
    ledger.tell_country(country=country_a, code="scans.warning_withdrawn",
                        params={"country": "Country A", "period": "2026-Q3"}, link="/")
    assert sorted(Notification.objects.values_list("params__period", "recipient__username")) == [
        ("2026-Q2", "chair_a"), ("2026-Q3", "eosg")]


def test_an_acknowledgement_in_time_stops_the_ladder(country_a, officer_a, chair_a, eosg, time_machine):
    start = dt.datetime(2026, 5, 4, 8, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    _alert(country_a, officer_a, "severe")
    time_machine.move_to(start + dt.timedelta(hours=23), tick=False)
    ledger.warning_acknowledge(warning=EarlyWarning.objects.get(), actor=chair_a, note="On it.")
    assert sweep_unacknowledged(now=start + dt.timedelta(days=5)).done == 0
    assert not WarningStep.objects.filter(kind="chased").exists()


def test_a_warning_with_a_broken_severity_does_not_stop_the_chase(country_a, country_b, officer_a, officer_b, chair_a,
                                                                   eosg, caplog):
    _alert(country_a, officer_a, "serious")
    _alert(country_b, officer_b, "serious")
    bad = EarlyWarning.objects.get(country=country_a)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE scans_earlywarning SET severity = %s WHERE id = %s", ["bogus", bad.pk])
    later = timezone.now() + dt.timedelta(days=10)
    with caplog.at_level(logging.ERROR, logger="hruf.sweeps"):
        result = sweep_unacknowledged(now=later)
    assert (result.done, result.failed) == (1, 1)
    assert f"unacknowledged warnings: row warning {bad.pk} failed" in caplog.text
    EarlyWarning.objects.filter(pk=bad.pk).update(severity="serious")
    assert sweep_unacknowledged(now=later).as_dict() == {"done": 1, "failed": 0}
    assert sweep_unacknowledged(now=later).as_dict() == {"done": 0, "failed": 0}


# --- silence ---------------------------------------------------------------------


def test_a_high_risk_country_that_stops_reporting_is_a_warning_once(country_a, country_b, officer_a, officer_b, chair_a,
                                                                     eosg, settings):
    file_scan(country_a, officer_a, Q1, rating=3)  # very high, then nothing for Q2
    file_scan(country_b, officer_b, Q1, rating=0)  # low, then nothing: not a sign on its own
    day = Q2.due_date + dt.timedelta(days=settings.SILENCE_GRACE_DAYS)
    assert sweep_silence(now=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)).done == 0  # still in grace
    later = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    assert sweep_silence(now=later).done == 1
    assert sweep_silence(now=later).done == 0
    warning = EarlyWarning.objects.get(kind="silence")
    assert (warning.country, warning.period) == (country_a, "2026-Q2")
    told = Notification.objects.filter(code="scans.warning_silence")
    assert set(told.values_list("recipient__username", flat=True)) == {"chair_a", "officer_a"}
    assert told.first().subject == "Country A has gone silent: its scan for 2026-Q2 is overdue"
    file_scan(country_a, officer_a, Q2, rating=3)
    assert [s.kind for s in warning.steps.all()] == ["raised", "scan_received"]


# --- pages ----------------------------------------------------------------------


def test_the_warning_pages_are_scoped_and_acknowledging_keeps_a_refused_note(login, country_a, country_c, officer_a,
                                                                            chair_a, chair_b):
    _alert(country_a, officer_a)
    warning = EarlyWarning.objects.get()
    assert login(chair_b).get(f"/warnings/{warning.pk}/").status_code == 404
    assert login(chair_b).post(f"/warnings/{warning.pk}/acknowledge/", {"note": "x"}).status_code == 404
    assert login(officer_a).post(f"/warnings/{warning.pk}/acknowledge/", {"note": "x"}).status_code == 403
    client = login(chair_a)
    refused = client.post(f"/warnings/{warning.pk}/acknowledge/", {"note": "y" * 1001})
    assert refused.status_code == 400 and "y" * 1001 in refused.content.decode()
    assert client.post(f"/warnings/{warning.pk}/acknowledge/", {"note": "On it."}).status_code == 302
    again = client.post(f"/warnings/{warning.pk}/acknowledge/", {"note": "Twice."}, follow=True)
    assert "Already acknowledged by chair_a" in again.content.decode()
    page = login(officer_a).get(f"/alerts/{warning.alert_id}/").content.decode()
    assert "Acknowledged" in page and "On it." in page  # the author sees the alert's timeline


@pytest.mark.parametrize("count", [1, 12])
def test_the_warning_list_costs_the_same_queries_for_many_warnings(login, country_a, officer_a, chair_a, count,
                                                                   django_assert_num_queries):
    for _ in range(count):
        _alert(country_a, officer_a, "serious")
    client = login(chair_a)
    client.get("/warnings/")  # warm the session
    with django_assert_num_queries(QUERIES_WARNING_LIST):
        page = client.get("/warnings/")
    assert page.content.decode().count("/warnings/") >= count



def test_the_warning_page_costs_the_same_queries_for_a_long_timeline(login, country_a, officer_a, chair_a,
                                                                     django_assert_num_queries):
    _alert(country_a, officer_a)
    warning = EarlyWarning.objects.get()
    client = login(chair_a)
    client.get(f"/warnings/{warning.pk}/")

    def count() -> int:
        with django_assert_num_queries(QUERIES_WARNING_PAGE) as ctx:
            client.get(f"/warnings/{warning.pk}/")
        return len(ctx.captured_queries)

    short = count()
    for n in range(10):
        ledger.step_add(warning, "updated", key=f"test:{n}", actor=officer_a, detail="period", params={"period": "2026-Q2"})
    assert count() == short


# Session, user, roles, the warning, its steps with their actors, the unread count and the badge.
QUERIES_WARNING_PAGE = 7


def test_a_silence_whose_notice_fails_is_raised_again_whole_by_the_next_sweep(
    country_a, officer_a, chair_a, settings, monkeypatch
):
    file_scan(country_a, officer_a, Q1, rating=3)
    later = dt.datetime.combine(Q2.due_date + dt.timedelta(days=settings.SILENCE_GRACE_DAYS + 1), dt.time(12),
                                tzinfo=dt.UTC)
    real_notify = ledger.notify

    def mail_server_gone(**kwargs):
        raise ConnectionError("the outbox table is locked")  # a failure inside the step, after the warning row

    monkeypatch.setattr(ledger, "notify", mail_server_gone)
    assert sweep_silence(now=later).as_dict() == {"done": 0, "failed": 1}
    assert not EarlyWarning.objects.filter(kind="silence").exists()  # nothing half-done is left behind
    monkeypatch.setattr(ledger, "notify", real_notify)
    assert sweep_silence(now=later).as_dict() == {"done": 1, "failed": 0}
    assert Notification.objects.filter(code="scans.warning_silence", recipient=chair_a).count() == 1


def test_silence_counts_no_period_that_enhanced_reporting_backdated(country_a, officer_a, chair_a, settings):
    file_scan(country_a, officer_a, Q1, rating=3)  # very high
    Country.objects.filter(pk=country_a.pk).update(enhanced_reporting=True, monthly_from=dt.date(2026, 6, 1))
    june_due = Period.parse("2026-06").due_date
    for day in (dt.date(2026, 5, 31), dt.date(2026, 6, 25), june_due + dt.timedelta(days=settings.SILENCE_GRACE_DAYS)):
        # Q2 is interrupted by monthly reporting and never owed; June is not yet past its grace.
        assert sweep_silence(now=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)).done == 0, day
    later = june_due + dt.timedelta(days=settings.SILENCE_GRACE_DAYS + 1)
    assert sweep_silence(now=dt.datetime.combine(later, dt.time(12), tzinfo=dt.UTC)).done == 1
    assert list(EarlyWarning.objects.filter(kind="silence").values_list("period", flat=True)) == ["2026-06"]


def test_a_warning_already_answered_by_a_review_is_not_acknowledged_afterwards(country_a, officer_a, chair_a):
    _alert(country_a, officer_a)
    warning = EarlyWarning.objects.get()
    EarlyWarning.objects.filter(pk=warning.pk).update(state="on_agenda")  # as a published agenda leaves it
    warning.refresh_from_db()
    assert not warning.awaits_acknowledgement
    with pytest.raises(ledger.LedgerError, match="no longer waits for acknowledgement: On an agenda"):
        ledger.warning_acknowledge(warning=warning, actor=chair_a, note="Late.")
