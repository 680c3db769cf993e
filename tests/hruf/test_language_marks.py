"""What tells a reader which language a text is in: the language officers write in, recorded and given to the
browser; codes kept left to right in Arabic; entities named in the reader's language; a meeting's region."""

import datetime as dt
import uuid

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from hruf.forms import CountryChoiceField
from hruf.models import Country, Entity, Region
from reviews import services as review_services
from reviews.models import meeting_title
from scans.models import Alert, ScanRevision
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")


def test_an_alert_records_the_language_it_is_written_in(login, officer_a, country_a):
    client = login(officer_a)
    url = reverse("scans:alert_create", args=[country_a.iso3])
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<option value="fr" selected>' in form  # the writer's language, offered first
    client.post(url, {"title": "Attaque du marché", "location": "Mopti", "severity": "serious",
                      "description": "Des hommes armés ont attaqué le marché.", "evidence": "", "language": "fr",
                      "submission_key": str(uuid.uuid4())}, HTTP_ACCEPT_LANGUAGE="fr")
    alert = Alert.objects.get(title="Attaque du marché")
    assert alert.language == "fr"
    page = client.get(reverse("scans:alert_detail", args=[alert.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<bdi lang="fr">Attaque du marché</bdi>' in page


def test_a_scan_records_the_language_of_its_narrative_and_evidence(login, officer_a, country_a):
    scan = file_scan(country_a, officer_a, Q3)
    client = login(officer_a)
    client.post(reverse("scans:scan_amend", args=[scan.pk]), HTTP_ACCEPT_LANGUAGE="es")
    draft = scan.revisions.drafts().get()
    form = client.get(reverse("scans:scan_edit", args=[scan.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<option value="es" selected>' in form
    ScanRevision.objects.filter(pk=scan.submitted_revision_id).update(language="ar", narrative="تقرير")
    page = client.get(reverse("scans:scan_detail", args=[scan.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<bdi lang="ar">تقرير</bdi>' in page and '<bdi lang="ar">Seen by the team.</bdi>' in page
    assert draft.language == ""  # opened before a language was said: not guessed


def test_a_period_code_keeps_its_order_in_arabic_only(login, officer_a, country_a):
    scan = file_scan(country_a, officer_a, Q3)
    client = login(officer_a)
    arabic = client.get(reverse("scans:scan_detail", args=[scan.pk]), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "\u20662026-Q3\u2069" in arabic
    english = client.get(reverse("scans:scan_detail", args=[scan.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2026-Q3" in english and "\u2066" not in english


def test_an_entity_is_named_in_full_in_the_readers_language():
    ohchr = Entity.objects.get(code="OHCHR")
    with translation.override("fr"):
        html = Template("{{ e|entity }}").render(Context({"e": ohchr}))
    assert html == f'<abbr title="{escape(ohchr.translations["fr"]["name"])}">OHCHR</abbr>'
    assert "Haut-Commissariat" in html


def test_a_stored_meeting_title_names_its_region_in_each_readers_language(chair_a, officer_a, country_a):
    africa = Region.objects.get(code="africa")
    country_a.region = africa
    country_a.save()
    meeting = review_services.rqr_create(actor=chair_a, region=africa, quarter=Q3, date=dt.date(2026, 9, 25),
                                         chair=chair_a)
    with translation.override("fr"):  # stored while a French reader acts: stays English underneath
        params = meeting.title_params()
    assert params["region"] == "Africa"
    with translation.override("es"):
        assert meeting_title(params) == "RQR África 2026-Q3"
    with translation.override("ar"):
        assert "\u20662026-Q3\u2069" in meeting_title(params)


def test_a_choice_of_countries_is_named_and_ordered_in_the_readers_language(db):
    field = CountryChoiceField(queryset=Country.objects.filter(iso3__in=["DEU", "DZA", "ZAF", "EGY"]),
                               empty_label="-")
    with translation.override("fr"):
        assert [label for _value, label in field.choices] == ["-", "Afrique du Sud", "Algérie", "Allemagne", "Égypte"]


def test_what_an_officer_types_takes_its_own_direction(login, officer_a, country_a):
    """An English account typed into an Arabic form reads left to right, and the reverse."""
    client = login(officer_a)
    alert_form = client.get(reverse("scans:alert_create", args=[country_a.iso3]), HTTP_ACCEPT_LANGUAGE="ar")
    assert alert_form.content.decode().count('dir="auto"') == 4  # title, place, details, evidence
    scan = file_scan(country_a, officer_a, Q3)
    client.post(reverse("scans:scan_amend", args=[scan.pk]))
    form = client.get(reverse("scans:scan_edit", args=[scan.pk]), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert form.count('<textarea dir="auto"') == scan.revisions.drafts().get().ratings.count() + 2
