"""The print views (the same reads as the PDFs) cost a fixed number of queries whatever the data holds."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup import services as followup
from hruf.models import Entity
from reviews import services as reviews
from scans.models import Alert

from ..factories import CountryFactory, bulk_history
from .conftest import Q2, Q3, at


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _busier_world(time_machine, region, officer, owner, eosg, n=6):
    """n more countries scanned in Q2 and in August, each with an alert and an overdue action."""
    countries = CountryFactory.create_batch(n, region=region)
    time_machine.move_to(at(2026, 7, 2, 9), tick=False)
    bulk_history(countries, [Q2], officer, rating_for=lambda c, i: 1)
    time_machine.move_to(at(2026, 8, 14, 9), tick=False)
    bulk_history(countries, [Q3], officer, rating_for=lambda c, i: 2)
    ohchr = Entity.objects.get(code="OHCHR")
    for c in countries:
        alert = Alert.objects.create(country=c, title=f"Alert in {c.name}", location="x", severity="serious", description="d",
                                     raised_by=officer)
        followup.plan_create(country=c, actor=eosg, title="p", source_alert=alert, today=dt.date(2026, 8, 14), actions=[
            followup.ActionDraft(title=f"Act in {c.name}", lead_entity=ohchr, owner=owner, deadline=dt.date(2026, 8, 20))
        ])
    time_machine.move_to(at(2026, 9, 1, 5), tick=False)
    return countries


def test_the_print_views_cost_the_same_for_2_countries_and_8(world, login, time_machine, region_b, chair_b, officer_a, owner, eosg, sag):
    client = login(eosg)
    monthly = reverse("briefings:monthly_print", args=["2026-08"])
    small = [_queries(client, reverse("briefings:meeting_print", args=[world.rqr.pk])), _queries(client, monthly)]
    _busier_world(time_machine, region_b, officer_a, owner, eosg)
    big = reviews.rqr_create(actor=chair_b, region=region_b, quarter=Q3, date=dt.date(2026, 9, 1), chair=chair_b)
    reviews.agenda_publish(meeting=big, actor=chair_b, lock_version=big.lock_version)
    assert big.items.included().count() == 6
    large = [_queries(client, reverse("briefings:meeting_print", args=[big.pk])), _queries(client, monthly)]
    page = client.get(monthly).content.decode()
    assert "8 countries have a submitted scan" in page and "7 actions overdue" in page
    assert large == small
    # Measured: [meeting print view, monthly print view], each with EOSG's warning badge
    assert small == [8, 20]  # the monthly with the clock's four, the top risks' Framework read (three) and the map (two)
