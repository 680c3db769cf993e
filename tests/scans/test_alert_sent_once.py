"""An urgent alert sent twice (a retry when the connection returns, a double tap) is raised once."""

import re
import uuid

from django.urls import reverse

from hruf.models import Notification
from scans.models import Alert

FORM = {"title": "Armed men at the camp", "location": "North", "severity": "imminent",
        "description": "Since this morning.", "evidence": "Camp manager's call.", "evidence_restricted": "on"}


def test_the_page_sends_it_once_however_often_the_form_arrives(client, login, country_a, officer_a):
    login(officer_a)
    url = reverse("scans:alert_create", args=[country_a.iso3])
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', client.get(url).content.decode()).group(1)
    first = client.post(url, {**FORM, "submission_key": key})
    notified = Notification.objects.count()
    again = client.post(url, {**FORM, "submission_key": key}, follow=True)
    alert = Alert.objects.get()
    assert first.url == again.redirect_chain[0][0] == reverse("scans:alert_detail", args=[alert.pk])
    assert "already sent; it was not sent twice" in again.content.decode()
    assert Notification.objects.count() == notified
    # A new form is a new sending.
    key2 = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', client.get(url).content.decode()).group(1)
    assert key2 != key
    client.post(url, {**FORM, "submission_key": key2})
    assert Alert.objects.count() == 2


def test_a_refused_form_keeps_its_key_so_the_corrected_sending_is_still_one(client, login, country_a, officer_a):
    login(officer_a)
    url = reverse("scans:alert_create", args=[country_a.iso3])
    key = str(uuid.uuid4())
    refused = client.post(url, {**FORM, "title": "", "submission_key": key})
    assert refused.status_code == 400 and f'value="{key}"' in refused.content.decode()
    client.post(url, {**FORM, "submission_key": key})
    client.post(url, {**FORM, "submission_key": key})
    assert Alert.objects.count() == 1
