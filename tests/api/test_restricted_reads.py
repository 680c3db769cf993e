"""Reading restricted evidence through the API leaves an audit event, as the pages do; reading
without it leaves none."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from hruf.models import AuditEvent
from scans import services
from scans.periods import current_period

from ..factories import file_scan


def _reads():
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.READ_RESTRICTED).order_by("pk"))


def _restricted_scan(country, officer):
    period = current_period(country, timezone.localdate()).previous()
    return file_scan(country, officer, period, rating=2, restricted=True, evidence="Witness names", today=dt.date.today())


def _alert(country, officer, **extra):
    return services.alert_raise(
        country=country, actor=officer, title="Militia", location="North", severity="severe", description="d",
        evidence="Names of witnesses", **extra,
    )


def test_a_scan_read_with_its_restricted_evidence_is_recorded(api, matrix, country_a, officer_a, chair_a):
    scan = _restricted_scan(country_a, officer_a)
    body = api(chair_a).get(reverse("scan-detail", args=[scan.pk])).json()
    assert "Witness names" in str(body)
    [event] = _reads()
    assert (event.actor, event.object_id, event.detail["api"]) == (chair_a, str(scan.pk), True)


def test_a_reader_who_gets_the_evidence_withheld_leaves_no_read_event(api, matrix, country_a, officer_a, sag):
    scan = _restricted_scan(country_a, officer_a)
    body = api(sag).get(reverse("scan-detail", args=[scan.pk])).json()
    assert "Witness names" not in str(body)
    assert _reads() == []


def test_an_alert_list_showing_restricted_evidence_is_one_event_naming_the_alerts(
    api, country_a, officer_a, chair_a
):
    first, second = _alert(country_a, officer_a), _alert(country_a, officer_a)
    _alert(country_a, officer_a, evidence_restricted=False)
    assert api(chair_a).get(reverse("alert-list")).status_code == 200
    [event] = _reads()
    assert sorted(event.detail["alerts"]) == sorted([first.pk, second.pk])
    api(chair_a).get(reverse("alert-detail", args=[first.pk]))
    assert [e.object_id for e in _reads()] == ["", str(first.pk)]


def test_an_open_alert_read_leaves_no_event(api, country_a, officer_a, chair_a):
    alert = _alert(country_a, officer_a, evidence_restricted=False)
    api(chair_a).get(reverse("alert-detail", args=[alert.pk]))
    assert _reads() == []
