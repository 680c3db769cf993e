import datetime as dt

import pytest

from ..factories import file_scan
from .commitment_world import Q3, publish, record


@pytest.fixture
def decided(region_a, chair_a, officer_a, country_a, eosg, sag):
    """A published Q3 review of region A; decide(decision) records it on country A's item (which answers
    the country's rise warning) and returns the item."""
    from reviews import services

    file_scan(country_a, officer_a, Q3, rating=3, evidence="e")
    meeting = services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 10, 14), chair=chair_a)
    publish(meeting, chair_a)
    item = meeting.items.get(country=country_a)

    def decide(decision):
        return record(item, chair_a, decision)

    return decide
