"""Proposal reasons are stored as codes and read in the reader's language, on the agenda, the
frozen ranking and the API, whatever language the chair who opened the review was using."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from reviews import services
from reviews.models import AgendaItem
from reviews.reasons import LEGACY, REASONS, TIER, reason, render_reason, render_reasons
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q2, Q3 = Period.parse("2026-Q2"), Period.parse("2026-Q3")
REASONS_EN = [
    "Tier is very high.", "Score rose by 67 points since the previous scan.", "1 open warning waits for this review."]


@pytest.fixture
def item_opened_in_french(country_a, officer_a, region_a, chair_a):
    file_scan(country_a, officer_a, Q2, rating=1)
    file_scan(country_a, officer_a, Q3, rating=3, evidence="Massacre in the north")  # very high, +67
    with translation.override("fr"):
        meeting = services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 9, 25), chair=chair_a)
    return meeting.items.get()


def test_a_reason_made_in_french_reads_in_each_readers_language(item_opened_in_french):
    stored = item_opened_in_french.proposal_reasons
    assert [r["code"] for r in stored] == [TIER, "score_rose", "open_warnings"]
    assert stored[0]["params"] == {"tier": "very_high"}
    assert render_reasons(stored, language="en") == REASONS_EN
    assert render_reasons(stored, language="fr") == [
        "Niveau de risque\xa0: très élevé.", "Le score a augmenté de 67 points depuis l’analyse précédente.",
        "1 signal d’alerte ouvert attend cet examen.",
    ]


def test_the_agenda_page_and_the_api_show_reasons_in_the_readers_language(client, item_opened_in_french, chair_a):
    client.force_login(chair_a)
    page = reverse("reviews:meeting_detail", args=[item_opened_in_french.meeting_id])
    assert REASONS_EN[0] in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "très élevé" in client.get(page, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    item = item_opened_in_french
    api = client.get(f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 200 and api.json()["proposal_reasons"] == REASONS_EN


def test_an_unknown_reason_or_a_missing_parameter_renders_a_fallback(caplog):
    fallback = "Proposed for a reason that can no longer be shown."
    assert render_reason({"code": "no_such_reason", "params": {}}, language="en") == fallback
    assert render_reason({"code": TIER, "params": {}}, language="en") == fallback
    assert render_reason({"code": TIER, "params": {"tier": "bogus"}}, language="en") == fallback
    assert render_reason("a sentence stored by hand", language="en") == fallback
    with pytest.raises(ValueError):
        reason("no_such_reason")


def test_reasons_stored_as_sentences_before_are_kept_as_they_were(item_opened_in_french):
    """The data migration turns the old sentences into the legacy code, on items and frozen rankings."""
    migration = importlib.import_module("reviews.migrations.0002_reason_codes")
    meeting = item_opened_in_french.meeting
    AgendaItem.objects.filter(pk=item_opened_in_french.pk).update(proposal_reasons=["Niveau : très élevé."])
    type(meeting).objects.filter(pk=meeting.pk).update(snapshot=[{"rank": 1, "reasons": ["Score en hausse."]}])
    migration._convert(apps, migration._coded)
    item_opened_in_french.refresh_from_db()
    meeting.refresh_from_db()
    assert item_opened_in_french.proposal_reasons == [{"code": LEGACY, "params": {"text": "Niveau : très élevé."}}]
    assert render_reasons(item_opened_in_french.proposal_reasons, language="en") == ["Niveau : très élevé."]
    assert render_reasons(meeting.snapshot[0]["reasons"], language="en") == ["Score en hausse."]
    assert LEGACY in REASONS.entries
