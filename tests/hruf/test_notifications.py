"""The outbox: rows written with the event, each email claimed once, failures retried."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from hruf.models import Notification, User
from hruf.notifications import DeliveryFailed, notification_deliver, notifications_redeliver
from scans import services


def _alert(country, officer, severity="imminent"):
    return services.alert_raise(
        country=country, actor=officer, title="Militia attack", location="North", severity=severity,
        description="d", evidence="Named witness", evidence_restricted=True,
    )


def test_an_alert_notifies_the_regions_chairs_and_eosg_only(country_a, officer_a, chair_a, chair_b, eosg, sag, officer_b):
    _alert(country_a, officer_a)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"chair_a", "eosg"}


def test_the_rows_are_written_with_the_alert_and_delivery_waits_for_commit(
    country_a, officer_a, chair_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _alert(country_a, officer_a)
        assert Notification.objects.count() == 1 and mail.outbox == []
    assert len(callbacks) == 2  # the delivery, and the recipient's unread count forgotten once more


def test_it_delivers_each_email_once_even_when_asked_twice(country_a, officer_a, chair_a, eosg):
    _alert(country_a, officer_a)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert [notification_deliver(notification_id=pk) for pk in ids] == [True, True]
    assert [notification_deliver(notification_id=pk) for pk in ids] == [False, False]
    assert len(mail.outbox) == 2
    assert "Named witness" not in mail.outbox[0].body  # evidence stays in the app, behind its permission
    assert mail.outbox[0].alternatives and "/alerts/" in mail.outbox[0].body


def test_a_failed_send_goes_back_to_pending_and_is_retried(country_a, officer_a, chair_a, settings):
    _alert(country_a, officer_a)
    n = Notification.objects.get()
    with mock.patch("hruf.notifications.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")):
        with pytest.raises(DeliveryFailed):
            notification_deliver(notification_id=n.pk)
    n.refresh_from_db()
    assert (n.email_state, n.email_attempts, n.email_error) == ("pending", 1, "OSError: SMTP down")
    assert notification_deliver(notification_id=n.pk) is True
    assert len(mail.outbox) == 1


def test_it_gives_up_after_the_last_attempt_and_keeps_the_in_app_message(country_a, officer_a, chair_a, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    _alert(country_a, officer_a)
    n = Notification.objects.get()
    with mock.patch("hruf.notifications.EmailMultiAlternatives.send", side_effect=OSError("bounced")):
        assert notification_deliver(notification_id=n.pk) is False
    n.refresh_from_db()
    assert n.email_state == "failed" and n.read_at is None


def test_the_sweep_releases_claims_of_dead_workers_and_lists_what_is_pending(country_a, officer_a, chair_a, eosg):
    _alert(country_a, officer_a)
    stuck, waiting = Notification.objects.order_by("pk")
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Notification.objects.filter(pk=stuck.pk).update(email_state="sending", email_claimed_at=long_ago, created_at=long_ago)
    Notification.objects.filter(pk=waiting.pk).update(created_at=long_ago)
    assert sorted(notifications_redeliver()) == sorted([stuck.pk, waiting.pk])
    Notification.objects.update(email_state="sending", email_claimed_at=timezone.now())
    assert notifications_redeliver() == []  # fresh claims belong to a live worker


def test_the_inbox_counts_and_marks_read(login, country_a, officer_a, chair_a):
    _alert(country_a, officer_a)
    client = login(chair_a)
    assert "Militia attack" in client.get("/inbox/").content.decode()
    assert client.get("/").context["unread_count"] == 1
    client.post("/inbox/read/")
    assert client.get("/").context["unread_count"] == 0


def test_a_line_break_in_a_subject_does_not_stop_the_email(country_a, officer_a, chair_a):
    services.alert_raise(country=country_a, actor=officer_a, title="Militia attack\nnear the border", location="x",
                         severity="serious", description="d")
    n = Notification.objects.get()
    assert notification_deliver(notification_id=n.pk) is True
    assert mail.outbox[0].subject == "Urgent alert: Country A: Militia attack near the border"


def test_the_sweep_leaves_a_row_waiting_out_its_back_off_to_its_task(country_a, officer_a, chair_a):
    _alert(country_a, officer_a)
    n = Notification.objects.get()
    two_min_ago = timezone.now() - dt.timedelta(minutes=2)
    Notification.objects.filter(pk=n.pk).update(email_attempts=1, email_claimed_at=two_min_ago, created_at=two_min_ago)
    assert notifications_redeliver() == []
    Notification.objects.filter(pk=n.pk).update(email_claimed_at=timezone.now() - dt.timedelta(hours=1))
    assert notifications_redeliver() == [n.pk]  # its retry was lost with a worker: the sweep takes over


def test_a_person_chooses_the_weekly_digest(login, country_a, officer_a, chair_a):
    client = login(chair_a)
    assert client.post("/inbox/preferences/", {"email_mode": "digest"}).status_code == 302
    _alert(country_a, officer_a, severity="serious")
    assert Notification.objects.get(recipient=chair_a).email_state == "digest"  # held for the digest, in the inbox now
    _alert(country_a, officer_a, severity="imminent")  # urgent news is never held
    assert Notification.objects.filter(recipient=chair_a).latest("pk").email_state == "pending"
    assert client.post("/inbox/preferences/", {"email_mode": "hourly"}).status_code == 400


@pytest.mark.parametrize(("severity", "state"), [("imminent", "sent"), ("severe", "sent"), ("serious", "digest")])
def test_an_urgent_alert_is_mailed_at_once_to_a_digest_reader_but_a_serious_one_waits(
    country_a, officer_a, chair_a, django_capture_on_commit_callbacks, severity, state
):
    User.objects.filter(pk=chair_a.pk).update(email_mode=User.EmailMode.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):  # delivery runs after commit, on the real mail backend
        services.alert_raise(country=country_a, actor=officer_a, title="Militia attack", location="North",
                             severity=severity, description="d")
    assert Notification.objects.get(recipient=chair_a).email_state == state
    assert [m.to for m in mail.outbox] == ([["chair_a@example.org"]] if state == "sent" else [])


def test_an_alert_in_a_region_without_a_chair_still_reaches_eosg(country_c, officer_a, eosg):
    _alert(country_c, officer_a)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["eosg"]


def test_the_preference_page_says_urgent_mail_is_never_held(login, chair_a):
    html = login(chair_a).get("/inbox/preferences/").content.decode()
    assert "are emailed at once, even if you choose the weekly digest." in html
