"""Every export leaves an event in the audit trail: who, what, how filtered, how many rows, and
whether restricted evidence went with it."""

import pytest

from hruf.models import AuditEvent

from .files import post_export


@pytest.fixture
def small_sync_limit(settings):
    settings.EXPORT_SYNC_MAX_ROWS = 5


def _exports():
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("pk"))


def test_an_export_answered_at_once_is_recorded(world, login, chair_a):
    response = post_export(login(chair_a), kind="alerts", format="csv", include_restricted="on")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    [event] = _exports()
    assert event.actor == chair_a
    assert event.detail["kind"] == "alerts" and event.detail["format"] == "csv"
    assert event.detail["include_restricted"] is True and event.detail["rows"] == 2


def test_an_export_run_as_a_job_is_recorded_when_its_file_is_written(
    world, login, chair_a, small_sync_limit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_export(login(chair_a), kind="scans", format="xlsx")
    [event] = _exports()
    assert (event.actor, event.detail["kind"], event.detail["format"]) == (chair_a, "scans", "xlsx")
    assert event.detail["rows"] == 31 and event.detail["include_restricted"] is False


def test_a_refused_export_records_nothing(world, login, chair_a):
    assert post_export(login(chair_a), kind="nonsense", format="csv").status_code == 400
    assert _exports() == []
