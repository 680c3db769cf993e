"""Restricted text never leaks: every GET route of the policy table (pages, print views, the API,
export downloads), and the exports themselves, rendered as every persona.

Country A's restricted texts carry unique markers: the evidence of a rating, of an urgent alert (also
taken onto the SAG agenda), and the title of a restricted follow-up action led by another entity.
DOMAIN.md: only the country's own officers, its region's chair and EOSG read them. An open rating's
marker shows the crawl really reaches the evidence, so the test fails if the pages stop showing it.
"""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from followup import services as followup
from hruf.models import Entity, Role
from reviews import services as reviews
from scans.models import Alert, Rating
from scans.periods import Period

from ..factories import UserFactory, grant
from .table import POLICY, QUERIES, TARGETS
from .world import PERSONAS, build_world

RATING_SECRET = "rsecret-7Q2mZ-rating"
ALERT_SECRET = "rsecret-K9wP4-alert"
ACTION_SECRET = "rsecret-X3vB8-action"
OPEN_MARKER = "ropen-H5nT1-rating"
SECRETS = (RATING_SECRET, ALERT_SECRET, ACTION_SECRET)
READERS = {"officer_a", "chair_a", "eosg"}

GET_ROUTES = sorted(route for route, method in POLICY if method == "GET")
# Where an allowed reader must see the restricted evidence: without these the crawl could pass by
# showing nothing at all.
MUST_SHOW = {
    "scans:scan_detail": (RATING_SECRET, OPEN_MARKER),
    "scan-detail": (RATING_SECRET, OPEN_MARKER),
    "scans:alert_detail": (ALERT_SECRET,),
    "alert-detail": (ALERT_SECRET,),
    "alert-list": (ALERT_SECRET,),
    "followup:plan_detail": (ACTION_SECRET,),
}


def _mark(world):
    """Give country A's restricted texts their markers, and put the alert on the SAG agenda."""
    ratings = list(Rating.objects.filter(revision=world.scan.submitted_revision).order_by("pk")[:2])
    Rating.objects.filter(pk=ratings[0].pk).update(evidence=RATING_SECRET, restricted=True)
    Rating.objects.filter(pk=ratings[1].pk).update(evidence=OPEN_MARKER, restricted=False)
    Alert.objects.filter(pk=world.alert.pk).update(evidence=ALERT_SECRET, evidence_restricted=True)
    chair, eosg = world.people["chair_a"], world.people["eosg"]
    reviews.alert_flag_for_sag(alert=Alert.objects.get(pk=world.alert.pk), actor=chair, reason="Imminent")
    world.sag.refresh_from_db()
    reviews.sag_take(actor=world.people["sag"], meeting=world.sag, lock_version=world.sag.lock_version,
                     source_alert=Alert.objects.get(pk=world.alert.pk))
    # Led by another entity than the owner persona's, who works on the same plan: the owner reads the
    # plan's open actions, not this one.
    dppa, _ = Entity.objects.get_or_create(code="DPPA", defaults={"name": "DPPA"})
    dppa_owner = grant(UserFactory(username="dppa_owner"), Role.OWNER, entity=dppa)
    followup.action_add(plan=world.plan, actor=eosg, draft=followup.ActionDraft(
        title=ACTION_SECRET, lead_entity=dppa, owner=dppa_owner, deadline=timezone.localdate() + dt.timedelta(days=20),
        restricted=True,
    ))


def _urls(world) -> list[tuple[str, str]]:
    urls = []
    for route in GET_ROUTES:
        target = POLICY[(route, "GET")][0]
        url = reverse(route, kwargs=TARGETS[target](world)) + QUERIES.get(target, lambda w: "")(world)
        urls.append((route, url))
    # The SAG meeting (the alert is on its agenda) and this month's briefing (the alert was raised today).
    this_month = Period.containing(timezone.localdate(), "monthly").code
    urls += [
        ("reviews:meeting_detail", reverse("reviews:meeting_detail", kwargs={"pk": world.sag.pk})),
        ("reviews:meeting_print", reverse("reviews:meeting_print", kwargs={"pk": world.sag.pk})),
        ("briefings:meeting_print", reverse("briefings:meeting_print", kwargs={"pk": world.sag.pk})),
        ("meeting-detail", reverse("meeting-detail", kwargs={"pk": world.sag.pk})),
        ("briefings:monthly_print", reverse("briefings:monthly_print", kwargs={"month": this_month})),
        ("scans:scan_detail", reverse("scans:scan_detail", kwargs={"pk": world.scan.pk}) + "?revision=1"),
    ]
    return urls


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


@pytest.fixture
def world(matrix, country_a, officer_a, officer_b, chair_a, chair_b, sag, eosg, owner, outsider):
    world = build_world(
        country_a=country_a, officer_a=officer_a, officer_b=officer_b, chair_a=chair_a, chair_b=chair_b,
        sag=sag, eosg=eosg, owner=owner, outsider=outsider,
    )
    _mark(world)
    return world


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_restricted_text_only_to_the_countrys_readers(client, login, world, persona):
    started = time.monotonic()
    if world.people[persona] is not None:
        login(world.people[persona])
    leaks, missing, seen = [], [], {}
    for route, url in _urls(world):
        response = client.get(url)
        body = _body(response)
        seen[route] = seen.get(route, False) or response.status_code == 200
        for secret in SECRETS:
            if secret in body and persona not in READERS:
                leaks.append(f"{secret} in {url} ({response.status_code})")
        if persona in READERS and response.status_code == 200:
            missing += [f"{marker} not in {url}" for marker in MUST_SHOW.get(route, ()) if marker not in body]
    # The exports themselves (a POST answers small exports at once), asking for restricted evidence.
    for kind in ("scans", "alerts", "actions"):
        response = client.post(reverse("exports:export_page"), {"kind": kind, "format": "csv", "include_restricted": "on"})
        body = _body(response)
        leaks += [f"{s} in the {kind} export" for s in SECRETS if s in body and persona not in READERS]
        if persona in READERS:
            wanted = {"scans": RATING_SECRET, "alerts": ALERT_SECRET, "actions": ACTION_SECRET}[kind]
            missing += [f"{wanted} not in the {kind} export"] if wanted not in body else []
    assert leaks == []
    assert missing == []
    # The open evidence is on the scan page for everyone who may open it.
    if seen["scans:scan_detail"]:
        assert OPEN_MARKER in _body(client.get(reverse("scans:scan_detail", kwargs={"pk": world.scan.pk})))
    assert seen["scans:scan_detail"] == (persona in {"officer_a", "chair_a", "sag", "eosg"})
    print(f"{persona}: {len(_urls(world)) + 3} requests in {time.monotonic() - started:.1f} s")
