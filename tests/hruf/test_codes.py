"""Store codes, render words: notifications are written as a code with parameters and read in
the reader's language, mailed in the recipient's, and never fail on a code or parameter gone."""

import logging

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext_lazy

from hruf.codes import LEGACY, Catalogue
from hruf.models import Notification
from hruf.notifications import DeliveryFailed, notification_deliver, notify
from scans import services
from scans.notices import ALERT_RAISED

SUBJECT_EN = "Urgent alert: Country A: Militia attack"
SUBJECT_FR = "Alerte urgente – Country A : Militia attack"


def _alert_in_french(country, officer):
    """The officer works in French: nothing they trigger may be stored in French."""
    with translation.override("fr"):
        return services.alert_raise(
            country=country, actor=officer, title="Militia attack", location="North", severity="imminent",
            description="d", evidence="Named witness", evidence_restricted=True,
        )


def test_it_stores_a_code_and_plain_parameters_not_the_actors_sentence(country_a, officer_a, chair_a):
    _alert_in_french(country_a, officer_a)
    n = Notification.objects.get(recipient=chair_a)
    assert n.code == ALERT_RAISED
    assert n.params["severity"] == "imminent" and n.params["country"] == "Country A"
    assert "Named witness" not in str(n.params)  # restricted evidence is never a parameter


def test_a_notification_made_in_french_reads_in_each_readers_language(country_a, officer_a, chair_a):
    _alert_in_french(country_a, officer_a)
    n = Notification.objects.get(recipient=chair_a)
    (subject_en, body_en), (subject_fr, body_fr) = n.render(language="en"), n.render(language="fr")
    assert (subject_en, subject_fr) == (SUBJECT_EN, SUBJECT_FR)
    assert body_en.startswith("Imminent: lives are at risk") and body_fr.startswith("Imminente\xa0: des vies") and "Lancée par officer_a" in body_fr


def test_the_inbox_and_the_api_show_it_in_the_readers_language(client, country_a, officer_a, chair_a):
    _alert_in_french(country_a, officer_a)
    client.force_login(chair_a)
    assert SUBJECT_EN in client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert SUBJECT_FR in client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    (row,) = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    assert row["subject"] == SUBJECT_FR


def test_the_email_is_written_from_the_code_in_the_recipients_language(country_a, officer_a, chair_a, settings):
    _alert_in_french(country_a, officer_a)
    n = Notification.objects.get(recipient=chair_a)
    assert notification_deliver(notification_id=n.pk)
    assert mail.outbox[0].subject == SUBJECT_EN  # nobody chooses a language yet: the site's
    assert "Imminent: lives are at risk" in mail.outbox[0].body

    settings.LANGUAGE_CODE = "fr"
    Notification.objects.filter(pk=n.pk).update(email_state="pending")
    assert notification_deliver(notification_id=n.pk)
    assert mail.outbox[1].subject == SUBJECT_FR and "Imminente" in mail.outbox[1].body


def test_an_unknown_code_or_a_missing_parameter_renders_a_fallback_not_an_error(
    client, chair_a, caplog, settings
):
    gone = Notification.objects.create(recipient=chair_a, code="followup.no_such_notice", params={"x": 1})
    short = Notification.objects.create(recipient=chair_a, code=ALERT_RAISED, params={"country": "Country A"})
    bad_label = Notification.objects.create(
        recipient=chair_a, code=ALERT_RAISED,
        params={"country": "A", "title": "t", "severity": "no such severity", "location": "l", "user": "u"},
    )
    with caplog.at_level(logging.WARNING, logger="hruf.codes"):
        for n in (gone, short, bad_label):
            assert n.render(language="en") == ("A notification that can no longer be shown", "")
            assert n.render(language="fr")[0] == "Une notification qui ne peut plus être affichée"
    assert len(caplog.records) == 3 * 2 * 2  # each row, each language, subject and body: each one logged
    client.force_login(chair_a)
    assert client.get(reverse("inbox")).status_code == 200
    assert notification_deliver(notification_id=gone.pk)
    assert mail.outbox[0].subject == "A notification that can no longer be shown"


def test_rows_from_before_the_codes_read_as_they_were_written(chair_a):
    n = Notification.objects.create(recipient=chair_a, code=LEGACY, params={"subject": "Alerte : pays A", "body": "Texte"})
    assert n.render(language="en") == ("Alerte : pays A", "Texte")


def test_notify_refuses_an_unknown_code_and_a_parameter_that_is_not_plain(chair_a, country_a):
    with pytest.raises(ValueError):
        notify(recipients=[chair_a], code="no.such.code", params={})
    with pytest.raises(TypeError):
        notify(recipients=[chair_a], code=ALERT_RAISED, params={"country": country_a})
    assert not Notification.objects.exists()


def test_a_subject_is_one_line_whatever_its_parameters(chair_a):
    (n,) = notify(recipients=[chair_a], code=LEGACY, params={"subject": "Two\nlines", "body": ""})
    assert n.subject == "Two lines"


def test_a_catalogue_renders_plurals_and_labels_in_the_language_asked():
    catalogue = Catalogue("test", fallback={"text": "?"})
    catalogue.add("alerts", text=ngettext_lazy(
        "%(n)s urgent alert since the last review.", "%(n)s urgent alerts since the last review.", "n"))
    catalogue.add("label", text=gettext_lazy("Tier is %(tier)s."), labels={"tier": lambda v: {"h": "HIGH"}[v]})
    assert catalogue.render("alerts", {"n": 1}, "text", language="en") == "1 urgent alert since the last review."
    assert catalogue.render("alerts", {"n": 2}, "text", language="en") == "2 urgent alerts since the last review."
    assert catalogue.render("alerts", {"n": 2}, "text", language="fr").startswith("2 alertes urgentes")
    assert catalogue.render("label", {"tier": "h"}, "text", language="en") == "Tier is HIGH."
    assert catalogue.render("label", {"tier": "x"}, "text", language="en") == "?"
    assert catalogue.render("alerts", ["not", "a", "mapping"], "text") == "?"
    with pytest.raises(ValueError):
        catalogue.add("alerts", text="again")


def test_a_notification_whose_own_data_breaks_is_given_back_and_the_others_go_out(country_a, officer_a, chair_a, eosg):
    services.alert_raise(country=country_a, actor=officer_a, title="Militia attack", location="North",
                         severity="imminent", description="d", evidence="", evidence_restricted=False)
    bad, good = Notification.objects.order_by("pk")
    with connection.cursor() as cursor:  # the recipient row is gone from under it
        cursor.execute("UPDATE hruf_notification SET recipient_id = %s WHERE id = %s", [999_999, bad.pk])
    with pytest.raises(DeliveryFailed):
        notification_deliver(notification_id=bad.pk)
    assert notification_deliver(notification_id=good.pk)
    bad = Notification.objects.filter(pk=bad.pk).values("email_state", "email_attempts").get()
    assert bad == {"email_state": "pending", "email_attempts": 1}  # left for the next try, not stuck claimed
    with connection.cursor() as cursor:
        cursor.execute("UPDATE hruf_notification SET recipient_id = %s WHERE email_state = 'pending'", [chair_a.pk])
    assert notification_deliver(notification_id=Notification.objects.get(email_state="pending").pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chair_a.email, good.recipient.email])
