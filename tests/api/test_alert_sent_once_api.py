"""The API raises an alert once per submission key."""

import uuid

from scans.models import Alert


def test_the_api_answers_the_first_alert_to_a_repeated_key(api, country_a, officer_a):
    client = api(officer_a)
    body = {"country": country_a.iso3, "title": "Roadblocks", "location": "East", "severity": "imminent",
            "description": "Since this morning.", "submission_key": str(uuid.uuid4())}
    first = client.post("/api/v1/alerts/", body, format="json")
    again = client.post("/api/v1/alerts/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Alert.objects.count() == 1
