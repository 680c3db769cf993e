"""An export's file does not outlive its use or its maker's access (issue 15, item 5): deleted by a sweep
EXPORT_KEEP_DAYS after it was written, served only while its maker keeps the scope they had when asking,
and every download audited."""

import datetime as dt

import pytest
from django.urls import reverse

from exports.sweeps import sweep_expired_exports
from hruf.models import AuditEvent, RoleAssignment

from .test_jobs import _ask


@pytest.fixture
def job(world, login, chair_a, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_SYNC_MAX_ROWS = 5
    job, _response = _ask(login(chair_a), django_capture_on_commit_callbacks, kind="scans", format="csv",
                          include_restricted="on")
    assert job.state == "done" and job.file and job.scope["chair_regions"]
    return job


def _download(client, job):
    return client.get(reverse("exports:job_download", args=[job.pk]))


def test_the_file_is_deleted_after_its_days_and_the_job_says_so(job, login, chair_a, settings, time_machine):
    storage, name = job.file.storage, job.file.name
    client = login(chair_a)
    assert "The file is deleted on 2 Oct 2026" in client.get(reverse("exports:job_detail", args=[job.pk])).content.decode()

    time_machine.shift(dt.timedelta(days=settings.EXPORT_KEEP_DAYS) - dt.timedelta(minutes=1))
    assert sweep_expired_exports().done == 0 and storage.exists(name)
    time_machine.shift(dt.timedelta(minutes=2))
    assert sweep_expired_exports().done == 1
    assert sweep_expired_exports().done == 0  # once
    assert not storage.exists(name)
    job.refresh_from_db()
    assert (job.state, job.file.name) == ("expired", "")
    client = login(chair_a)  # a week later
    assert _download(client, job).status_code == 404
    page = client.get(reverse("exports:job_detail", args=[job.pk])).content.decode()
    assert "Expired: its file was deleted" in page and "Ask for the export again" in page


def test_a_maker_who_lost_a_region_since_asking_is_refused_the_file(job, login, chair_a):
    kept = list(RoleAssignment.objects.filter(user=chair_a).values("role", "region_id"))
    RoleAssignment.objects.filter(user=chair_a).delete()
    chair_a.refresh_from_db()
    response = login(chair_a).get(reverse("exports:job_download", args=[job.pk]))
    assert response.status_code == 403
    assert "Your access has changed since this export was asked for" in response.content.decode()
    assert not AuditEvent.objects.filter(detail__download=True).exists()

    for row in kept:  # given back: served again, and the download is audited
        RoleAssignment.objects.create(user=chair_a, **row)
    chair_a.refresh_from_db()
    client = login(chair_a)
    download = _download(client, job)
    assert download.status_code == 200 and b"".join(download.streaming_content)
    event = AuditEvent.objects.get(detail__download=True)
    assert (event.actor, event.action, event.object_id, event.detail["include_restricted"]) == (
        chair_a, "export", str(job.pk), True)


def test_someone_elses_job_answers_404_and_is_not_audited(job, login, eosg):
    assert _download(login(eosg), job).status_code == 404
    assert not AuditEvent.objects.filter(detail__download=True).exists()
