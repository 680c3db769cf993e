"""Reference content in the reader's language (hruf/translated.py): the shipped translations cover every
reference text in every language, a missing one reads in English and is marked, and people edit them."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from followup.models import ActionTemplate
from followup.reference import TEMPLATES, load_templates
from hruf.audit import Audit
from hruf.models import AuditEvent, Entity, Region, User
from hruf.reference import ENTITIES, REGIONS, load_places
from hruf.translated import SHIPPED, pick, target_languages, translations_apply
from reviews import services as review_services
from scans.models import Indicator, RiskFactor
from scans.periods import Period
from scans.reference import DEFAULT_MATRIX, RISK_FACTORS

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
LOCALES = {"ar": "ar", "zh-hans": "zh_Hans", "fr": "fr", "ru": "ru", "es": "es"}


def _reference_texts() -> set[str]:
    texts = set(REGIONS.values()) | set(ENTITIES.values())
    texts |= {name for _n, name, _g in RISK_FACTORS} | {group for *_x, group in RISK_FACTORS}
    texts |= {text for code, *rest, _numbers in DEFAULT_MATRIX for text in rest}
    texts |= {text for title, description, _lead in TEMPLATES for text in (title, description)}
    return texts


def test_every_language_is_shipped_for_every_reference_text():
    assert {code for code, _name in target_languages()} == set(LOCALES)
    texts = _reference_texts()
    for locale in LOCALES.values():
        shipped = json.loads((SHIPPED / f"{locale}.json").read_text(encoding="utf-8"))
        missing = sorted(texts - set(shipped))
        assert not missing, f"{locale}: no translation of {missing}"
        assert all(shipped[text].strip() and shipped[text] != text for text in texts), locale


def test_every_reference_row_has_every_language(db):
    load_places(apps)
    load_templates(apps)
    rows = [*Region.objects.all(), *Entity.objects.all(), *RiskFactor.objects.all(), *Indicator.objects.all(),
            *ActionTemplate.objects.all()]
    missing = [(type(row).__name__, str(row.pk), language, field)
               for row in rows for language, field in row.missing_translations()]
    assert not missing, f"reference texts without a translation: {missing}"


def test_a_text_without_a_translation_reads_in_english_and_is_marked():
    translations = {"fr": {"name": "Afrique"}}
    with translation.override("fr"):
        assert pick("Africa", translations, "name") == "Afrique" and not pick("Africa", translations, "name").fallback
    with translation.override("es"):
        spanish = pick("Africa", translations, "name")
        assert spanish == "Africa" and spanish.fallback and spanish.language == "en"
    with translation.override("en"):
        assert not pick("Africa", {}, "name").fallback


def test_the_scan_form_reads_in_the_officers_language_and_marks_what_is_not_translated(login, officer_a, country_a):
    hate = Indicator.objects.get(code="hate-speech", version__number=1)
    french = hate.translations["fr"]
    Indicator.objects.filter(code="impunity").update(translations={})
    client = login(officer_a)
    period = Period.containing(dt.date.today(), "quarterly")
    response = client.post(reverse("scans:scan_start", args=[country_a.iso3]), {"period": str(period)},
                           HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    html = response.content.decode()
    assert french["name"] in html and french["question"] in html
    assert "Impunity and weak rule of law" in html  # no translation: English, marked
    assert html.count('class="untranslated-mark"') == 3  # its name, question and guidance
    assert "Hate speech and incitement against groups" not in html


def test_an_agenda_reads_the_indicators_in_each_readers_language_whoever_published_it(
        login, region_a, chair_a, country_a, officer_a, sag):
    q3 = Period.parse("2026-Q3")
    file_scan(country_a, officer_a, q3, rating=3)
    meeting = review_services.rqr_create(actor=chair_a, region=region_a, quarter=q3, date=dt.date(2026, 9, 25),
                                         chair=chair_a)
    with translation.override("fr"):  # a French-speaking chair publishes
        review_services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    conflict = Indicator.objects.get(code="armed-conflict", version__number=1)  # first of the drivers
    url = reverse("reviews:meeting_detail", args=[meeting.pk])
    english = login(chair_a).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Driven by: Armed conflict or serious instability (3)" in english
    assert conflict.translations["fr"]["name"] not in english
    spanish = login(sag).get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert conflict.translations["es"]["name"] + " (3)" in spanish


def test_an_administrator_edits_a_translation_and_it_is_audited(login):
    client = login(_superuser())
    region = Region.objects.get(code="africa")
    url = reverse("admin:hruf_region_change", args=[region.pk])
    form = client.get(url).content.decode()
    assert 'name="name__fr"' in form and 'lang="ar" dir="rtl"' in form
    data = {"code": region.code, "name": region.name, "name__fr": "Afrique (révisé)", "name__ar": "",
            "name__es": "África", "name__ru": "", "name__zh_hans": ""}
    assert client.post(url, data).status_code == 302
    region.refresh_from_db()
    assert region.translations == {"fr": {"name": "Afrique (révisé)"}, "es": {"name": "África"}}
    event = AuditEvent.objects.filter(action=Audit.UPDATE, object_type="hruf.region").latest("pk")
    assert "translations" in event.changes
    with translation.override("ar"):
        assert str(region) == "Africa" and region.translated("name").fallback
    # Loading the reference again fills what is empty and keeps what was edited.
    translations_apply(Region, ("name",))
    region.refresh_from_db()
    assert region.translations["fr"]["name"] == "Afrique (révisé)" and region.translations["ar"]["name"]


def test_eosg_translates_an_action_template_on_the_library_page(login, eosg):
    template = ActionTemplate.objects.get(title="Deploy a light team")
    client = login(eosg)
    url = reverse("followup:template_edit", args=[template.pk])
    page = client.get(url).content.decode()
    assert 'name="title__fr"' in page and "<details" in page
    data = {"title": template.title, "description": template.description, "default_lead": template.default_lead_id,
            "default_duration_days": "", "active": "on", "title__fr": "Déployer une équipe légère", "title__es": "x" * 201,
            "b-TOTAL_FORMS": "0", "b-INITIAL_FORMS": "0", "b-MIN_NUM_FORMS": "0", "b-MAX_NUM_FORMS": "20"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Déployer une équipe légère" in refused.content.decode()  # what was typed is kept
    data["title__es"] = "Desplegar un equipo ligero"
    assert client.post(url, data).status_code == 302
    template.refresh_from_db()
    assert template.translations["fr"]["title"] == "Déployer une équipe légère"
    assert "description" not in template.translations["fr"]  # left empty: reads in English, marked
    with translation.override("es"):
        assert str(template) == "Desplegar un equipo ligero"


def _superuser():
    return User.objects.create_superuser("root", "root@example.org", "pw-not-used-here")
