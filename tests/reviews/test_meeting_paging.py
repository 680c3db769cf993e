"""The reviews list pages by keyset, latest first: every meeting reachable through "Older meetings", none
twice, each page at the same cost however many years of meetings there are."""

import datetime as dt

from django.urls import reverse

from reviews.models import Meeting
from reviews.views.meetings import MEETING_PAGE

from ..keyset_pages import read_page

URL = reverse("reviews:meeting_list")


def _page(client, url: str) -> tuple[list[int], str | None, int]:
    return read_page(client, URL, url, "/reviews/")


def test_older_meetings_are_a_link_away_each_once_at_the_same_cost(login, chair_a, region_a):
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=30 * (i // 2)) for i in range(MEETING_PAGE + 6)]  # pairs share a day
    Meeting.objects.bulk_create([Meeting(kind="rqr", region=region_a, chair=chair_a, date=d, quarter=f"Q{i}")
                                 for i, d in enumerate(days)])
    expected = list(Meeting.objects.order_by("-date", "-id").values_list("pk", flat=True))
    client = login(chair_a)
    first, older, cost = _page(client, URL)
    assert first == expected[:MEETING_PAGE] and older
    second, further, deeper_cost = _page(client, older)
    assert second == expected[MEETING_PAGE:] and further is None
    assert deeper_cost == cost
    assert "Latest meetings" in client.get(older).content.decode()
