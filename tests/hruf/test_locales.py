"""Each person's language and time zone (hruf/locales.py): chosen once, applied to every page and every
mail; dates and times by CLDR's rules with the offset shown and the zone named; a zone that does not exist
is refused with what was typed kept."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from hruf.audit import Audit
from hruf.models import AuditEvent, Notification, User
from hruf.notifications import notification_deliver
from scans import services
from scans.models import Alert

NIAMEY = zoneinfo.ZoneInfo("Africa/Niamey")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
MOMENT = dt.datetime(2026, 12, 1, 13, 5, tzinfo=dt.UTC)


def _render(source: str, language: str, zone=dt.UTC, **context) -> str:
    with translation.override(language), timezone.override(zone):
        return Template(source).render(Context(context))


@pytest.mark.parametrize(("language", "short", "long"), [
    ("en", "1 Dec 2026", "1 December 2026"),
    ("fr", "1 déc. 2026", "1 décembre 2026"),
    ("es", "1 dic 2026", "1 de diciembre de 2026"),
    ("ru", "1 дек. 2026\u202fг.", "1 декабря 2026\u202fг."),
    ("zh-hans", "2026年12月1日", "2026年12月1日"),
    ("ar", "01\u200f/12\u200f/2026", "1 ديسمبر 2026"),
])
def test_dates_follow_each_languages_rules(language, short, long):
    day = dt.date(2026, 12, 1)
    assert _render("{{ d|day }}|{{ d|day:'long' }}", language, d=day) == f"{short}|{long}"


def test_a_time_is_shown_in_the_readers_zone_with_its_offset():
    assert _render("{{ t|when }}", "en", t=MOMENT) == "1 Dec 2026, 13:05 UTC"
    assert _render("{{ t|when }}", "en", NIAMEY, t=MOMENT) == "1 Dec 2026, 14:05 UTC+1"
    assert _render("{{ t|when }}", "fr", NEW_YORK, t=MOMENT) == "1 déc. 2026, 08:05 UTC−5"
    # A day near midnight is the reader's day, not UTC's.
    assert _render("{{ t|day }}", "en", NEW_YORK, t=dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)) == "30 Nov 2026"
    assert _render("{% zone_note %}", "fr", NIAMEY) == "Heures – heure : Niger (Africa/Niamey)."


def test_someone_chooses_a_language_and_a_time_zone_and_every_page_follows(login, officer_a, country_a):
    client = login(officer_a)
    response = client.post(reverse("preferences"), {
        "email_mode": User.EmailMode.IMMEDIATE, "language": "fr", "time_zone": "Africa/Niamey",
    })
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert (officer_a.language, officer_a.time_zone) == ("fr", "Africa/Niamey")
    event = AuditEvent.objects.filter(action=Audit.UPDATE, object_id=str(officer_a.pk)).latest("at")
    assert event.changes["language"] == ["", "fr"] and event.changes["time_zone"] == ["", "Africa/Niamey"]

    alert = services.alert_raise(country=country_a, actor=officer_a, title="Attack", location="North",
                                 severity="serious", description="d")
    Alert.objects.filter(pk=alert.pk).update(raised_at=MOMENT)
    # The browser asks for English; the person chose French, on every device.
    html = client.get(reverse("scans:alert_detail", args=[alert.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr"' in html
    assert "1 déc. 2026, 14:05 UTC+1" in html
    assert "(Africa/Niamey)" in html


def test_a_time_zone_that_does_not_exist_is_refused_and_what_was_typed_is_kept(login, officer_a):
    response = login(officer_a).post(reverse("preferences"), {
        "email_mode": User.EmailMode.DIGEST, "language": "es", "time_zone": "Mars/Olympus_Mons",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a time zone" in html and 'value="Mars/Olympus_Mons"' in html
    assert re.search(r'<option value="es"[^>]*selected', html) and re.search(r'value="digest"[^>]*checked', html)
    officer_a.refresh_from_db()
    assert (officer_a.language, officer_a.time_zone, officer_a.email_mode) == ("", "", User.EmailMode.IMMEDIATE)


def test_the_language_menu_keeps_the_choice_for_someone_signed_in(login, officer_a):
    client = login(officer_a)
    client.post(reverse("language_set"), {"language": "fr", "next": "/"})
    officer_a.refresh_from_db()
    assert officer_a.language == "fr"
    client.post(reverse("language_set"), {"language": "xx", "next": "/"})  # not offered: nothing saved
    officer_a.refresh_from_db()
    assert officer_a.language == "fr"


def test_mail_is_written_in_the_recipients_own_language(country_a, officer_a, chair_a):
    User.objects.filter(pk=chair_a.pk).update(language="fr")
    services.alert_raise(country=country_a, actor=officer_a, title="Attack", location="North", severity="imminent",
                         description="d")
    notification = Notification.objects.get(recipient=chair_a)
    assert notification_deliver(notification_id=notification.pk)
    assert mail.outbox[-1].subject.startswith("Alerte urgente")


def test_what_a_person_wrote_keeps_its_own_direction():
    arabic = "هجوم على السوق\nشهود عيان"
    html = _render("<p>{{ t|own_text }}</p>", "en", t=arabic)
    assert html == "<p><bdi>هجوم على السوق<br>شهود عيان</bdi></p>"
    assert _render("{{ t|own_text }}", "en", t="<script>") == "<bdi>&lt;script&gt;</bdi>"  # escaped, never trusted


def test_an_arabic_alert_inside_an_english_page_is_isolated(login, officer_a, country_a):
    alert = services.alert_raise(country=country_a, actor=officer_a, title="هجوم على السوق", location="North",
                                 severity="serious", description="d")
    html = login(officer_a).get(reverse("scans:alert_detail", args=[alert.pk])).content.decode()
    assert "<bdi>هجوم على السوق</bdi>" in html and '<html lang="en" dir="ltr"' in html


@pytest.mark.parametrize(("language", "name"), [
    ("en", "Democratic Republic of the Congo"), ("fr", "République démocratique du Congo"),
    ("es", "República Democrática del Congo"), ("ru", "Демократическая Республика Конго"),
    ("ar", "جمهورية الكونغو الديمقراطية"), ("zh-hans", "刚果民主共和国"),
])
def test_country_names_are_the_uns_in_each_language(db, language, name):
    from hruf.models import Country

    congo = Country.objects.get(iso3="COD")
    with translation.override(language):
        assert congo.local_name == (congo.name if language == "en" else name)
        assert _render("{{ n|country_named }}", language, n=congo.name) == congo.local_name
    assert str(congo) == congo.name  # what is stored (notification parameters, the audit) stays English


def test_a_country_the_names_package_does_not_know_keeps_its_own_name(country_a):
    with translation.override("ar"):
        assert country_a.local_name == "Country A"


def test_the_country_list_names_countries_in_the_readers_language(login, eosg):
    html = login(eosg).get(reverse("scans:country_list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert ">Níger</a>" in html and "Níger: " in html  # the table, and the map's shape title


def test_a_notification_names_the_country_in_the_readers_language(db):
    from hruf.codes import Catalogue

    catalogue = Catalogue("test", fallback={"subject": "?"})
    catalogue.add("x", subject="%(country)s: %(n)s")
    assert catalogue.render("x", {"country": "Niger", "n": 1}, "subject", language="es") == "Níger: 1"
    assert catalogue.render("x", {"country": "Niger", "n": 1}, "subject", language="en") == "Niger: 1"
    assert catalogue.render("x", {"country": "Country A", "n": 1}, "subject", language="ru") == "Country A: 1"


def test_going_back_to_the_browsers_language_forgets_the_chosen_one(login, officer_a):
    client = login(officer_a)
    client.post(reverse("preferences"), {"email_mode": User.EmailMode.IMMEDIATE, "language": "fr", "time_zone": ""})
    assert '<html lang="fr"' in client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post(reverse("preferences"), {"email_mode": User.EmailMode.IMMEDIATE, "language": "", "time_zone": ""})
    assert '<html lang="en"' in client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_language_menu_works_on_the_two_factor_pages(client, eosg):
    client.force_login(eosg)  # signed in by password, the second factor not yet given
    response = client.post(reverse("language_set"), {"language": "ar", "next": reverse("two_factor_setup")})
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_setup")
    assert client.cookies["django_language"].value == "ar"
