"""The packs as PDF: what each one says, and what it never says."""

import pytest

from briefings import services
from briefings.models import BriefingPack

from .conftest import AUGUST, pdf_text

pytestmark = pytest.mark.usefixtures("world")


def _made(pack) -> str:
    pack.refresh_from_db()
    assert pack.state == BriefingPack.State.DONE, pack.error
    with pack.file.open("rb") as f:
        return pdf_text(f.read())


def _request(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):  # the worker (eager here) runs after commit
        return services.pack_request(**kwargs)


def test_it_makes_the_rqr_pack_with_the_agenda_figures_and_records(world, chair_a, django_capture_on_commit_callbacks):
    text = _made(_request(django_capture_on_commit_callbacks, kind="rqr", actor=chair_a, meeting=world.rqr))
    assert "Agenda pack: RQR Region A 2026-Q3" in text
    assert "1. Country A" in text and "2. Country B" in text
    assert "Score 100 Very high" in text and "Score 67 Very high" in text
    assert "Escalate to the Senior Action Group: Militias arming in the north" in text
    assert "Adopt a follow-up plan: An adviser is needed" in text
    assert "Deploy a human rights adviser — OHCHR, due 25 Aug 2026 overdue" in text
    assert "The region as the meeting saw it" in text
    assert "Restricted evidence is never included in this pack" in text
    # Read by SAG members and other chairs too: nothing restricted, no evidence at all.
    assert "Quiet talks with the envoy" not in text and "Nightingale" not in text and "Falcon" not in text


def test_it_makes_the_sag_pack_with_the_rqr_record_attached(world, sag, django_capture_on_commit_callbacks):
    text = _made(_request(django_capture_on_commit_callbacks, kind="sag", actor=sag, meeting=world.sag))
    assert "SAG pack: SAG 2026-08-28" in text
    assert "1. Country A" in text and "Country B" not in text
    # The Framework lens frozen at publication: every indicator at 3, so every crime group flagged, and factor 12
    # (which no matrix indicator informs) without information.
    assert "Framework of Analysis: Common risk factors Genocide Crimes against humanity War crimes" in text
    assert "no information on risk factor 12" in text
    assert "Record of RQR Region A 2026-Q3" in text and "Militias arming in the north" in text
    assert "Adopt a follow-up plan: Envoy to engage the authorities" in text
    assert "Quiet talks with the envoy" not in text and "Nightingale" not in text


def test_it_makes_the_monthly_briefing_with_risks_movers_alerts_decisions_and_overdue_actions(world, eosg):
    text = _made(services.monthly_briefing_make(actor=None, month=AUGUST))
    assert "Monthly briefing for Security Council political coordinators: August 2026" in text
    assert "From 1 August 2026 to 31 August 2026." in text
    # Top risks, then movers: A went from 33 to 100, B from 33 to 67 during August.
    # The top risks carry the crime groups their last scan flags (every indicator at 3 and 2: all of them).
    everything = "Common risk factors, Genocide, Crimes against humanity, War crimes"
    assert f"Country A Region A 2026- Q3 100 Very high ▲ +67 {everything}" in text  # the narrow column wraps Q3
    assert f"Country B Region A 2026- Q3 67 Very high ▲ +34 {everything}" in text
    assert "Country A 33 100 ▲ +67" in text and "Country B 33 67 ▲ +34" in text
    assert "Militia attack on Kodo market" in text and "Kodo" in text
    assert "RQR Region A 2026-Q3 Country A Escalate to the Senior Action Group: Militias arming in the north" in text
    assert "SAG 2026-08-28 Country A Adopt a follow-up plan: Envoy to engage the authorities" in text
    assert "1 action overdue on 1 September 2026." in text
    assert "Deploy a human rights adviser OHCHR 25 Aug 2026 7" in text
    assert "Quiet talks with the envoy" not in text and "Falcon" not in text and "Dozens hurt" not in text
    # The world map, its legend and its table (open in print): Country A has no shape, so it is named under it.
    assert "Risk map" in text and "The map as a table (195 countries)" in text
    assert "Not drawn (no shape in the map data), listed in the table: Country A, Country B" in text


def test_it_writes_the_pack_in_the_requesters_language_with_localised_dates(world, eosg, django_capture_on_commit_callbacks):
    pack = _request(django_capture_on_commit_callbacks, kind="monthly", actor=eosg, month=AUGUST, language="fr")
    text = _made(pack)
    assert "août 2026" in text and "1 septembre 2026" in text
