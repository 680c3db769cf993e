"""Large exports run as a Celery job (eager in tests): progress, download, failures, scope read at run time."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from exports import services
from exports.models import ExportJob
from exports.selectors import Filters
from hruf.models import RoleAssignment

from .files import csv_rows, post_export, xlsx_rows


@pytest.fixture
def small_sync_limit(settings):
    settings.EXPORT_SYNC_MAX_ROWS = 5


def _ask(client, capture, **data):
    with capture(execute=True):
        response = post_export(client, **data)
    assert response.status_code == 302, response.content[:300]
    return ExportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1])), response


def test_a_large_export_runs_as_a_job_with_progress_and_a_download(
    world, login, chair_a, small_sync_limit, django_capture_on_commit_callbacks
):
    client = login(chair_a)
    job, response = _ask(client, django_capture_on_commit_callbacks, kind="scans", format="csv",
                         include_restricted="on")
    assert response["Location"] == reverse("exports:job_detail", args=[job.pk])
    assert (job.state, job.rows_done, job.rows_total, job.include_restricted) == ("done", 31, 31, True)
    assert job.file.name.startswith("exports/2026/09/")
    page = client.get(response["Location"]).content.decode()
    assert "Ready to download" in page and "Download (31 rows)" in page
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    assert download["Content-Disposition"].startswith(f'attachment; filename="hruf-scans-2026-09-25-{job.pk}.csv"')
    rows = csv_rows(download)
    assert {r["Country"] for r in rows} == {"Country A", "Country B"}
    assert "SECRET-B witness name" in {r["Evidence"] for r in rows}


def test_every_xlsx_above_the_limit_runs_as_a_job(
    world, login, eosg, small_sync_limit, django_capture_on_commit_callbacks
):
    client = login(eosg)
    job, _response = _ask(client, django_capture_on_commit_callbacks, kind="scans", format="xlsx")
    assert job.state == "done" and job.rows_total == 41
    rows = xlsx_rows(b"".join(client.get(reverse("exports:job_download", args=[job.pk])).streaming_content))
    assert len(rows) == 41 and rows[0]["Score"] == 33


def test_a_small_export_is_answered_at_once_without_a_job(world, login, eosg, small_sync_limit):
    rows = csv_rows(post_export(login(eosg), kind="actions"))
    assert len(rows) == 2 and not ExportJob.objects.exists()


def test_the_job_reads_the_users_scope_when_it_runs(world, login, chair_a, officer_a, small_sync_limit):
    job = services.export_job_create(
        actor=chair_a, request=services.ExportRequest(kind="scans", format="csv", filters=Filters(), include_restricted=True)
    )
    # Between asking and running, the chair of region A becomes only the officer of country A.
    RoleAssignment.objects.filter(user=chair_a).delete()
    RoleAssignment.objects.create(user=chair_a, role="officer", country=officer_a.roles.get().country)
    assert services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    content = job.file.read().decode("utf-8-sig")
    assert "Country B" not in content and "SECRET-B" not in content
    assert "SECRET-A witness name" in content
    assert job.rows_total == 21


def test_a_job_asked_by_someone_who_may_not_see_restricted_evidence_never_holds_it(world, sag):
    job = services.export_job_create(
        actor=sag, request=services.ExportRequest(kind="scans", format="csv", filters=Filters(), include_restricted=True)
    )
    assert job.include_restricted is False
    ExportJob.objects.filter(pk=job.pk).update(include_restricted=True)  # even if the row said so
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert "SECRET" not in job.file.read().decode("utf-8-sig")


def test_a_job_is_claimed_once_and_a_stale_one_taken_over(world, eosg, settings):
    job = services.export_job_create(
        actor=eosg, request=services.ExportRequest(kind="alerts", format="csv", filters=Filters())
    )
    assert services.export_job_run(job_id=job.pk) is True
    assert services.export_job_run(job_id=job.pk) is False  # a duplicate task finds nothing to claim
    # A worker killed mid-job leaves it running; past the hard time limit another run takes it over.
    ExportJob.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now(), file="")
    assert services.export_job_run(job_id=job.pk) is False
    later = timezone.now() + dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    assert services.export_job_run(job_id=job.pk, now=later) is True
    job.refresh_from_db()
    assert job.state == "done" and job.rows_total == 4  # A, B and two of C


def test_a_failed_job_shows_a_clear_message(world, login, eosg, settings, tmp_path):
    job = services.export_job_create(
        actor=eosg, request=services.ExportRequest(kind="scans", format="csv", filters=Filters())
    )
    # The files folder cannot be written: a plain file stands where its directory should be.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker
    assert services.export_job_run(job_id=job.pk) is False
    job.refresh_from_db()
    assert job.state == "failed" and f"the job number ({job.pk})" in job.error
    page = login(eosg).get(reverse("exports:job_detail", args=[job.pk])).content.decode()
    assert "Failed" in page and "The export failed while the file was written" in page
    assert login(eosg).get(reverse("exports:job_download", args=[job.pk])).status_code == 404


def test_a_queued_job_page_works_without_javascript(world, login, eosg):
    job = ExportJob.objects.create(user=eosg, kind="scans", format="csv")
    page = login(eosg).get(reverse("exports:job_detail", args=[job.pk])).content.decode()
    assert "Waiting for a worker" in page
    assert f'href="{reverse("exports:job_detail", args=[job.pk])}"' in page and "Refresh" in page
    assert 'data-export-running="yes"' in page
    assert reverse("exports:job_download", args=[job.pk]) not in page


def test_a_running_job_shows_its_progress(world, login, eosg):
    job = ExportJob.objects.create(user=eosg, kind="scans", format="xlsx", state="running", rows_done=500, rows_total=2000)
    page = login(eosg).get(reverse("exports:job_detail", args=[job.pk])).content.decode()
    assert "500 of 2000 rows written" in page and '<progress class="w-100" max="2000" value="500"' in page


def test_the_export_page_lists_only_the_users_own_jobs(world, login, eosg, chair_a):
    mine = ExportJob.objects.create(user=eosg, kind="alerts", format="csv", state="done", rows_done=3, rows_total=3)
    theirs = ExportJob.objects.create(user=chair_a, kind="records", format="xlsx")
    page = login(eosg).get(reverse("exports:export_page")).content.decode()
    assert reverse("exports:job_detail", args=[mine.pk]) in page
    assert reverse("exports:job_detail", args=[theirs.pk]) not in page


def test_a_job_writes_in_the_language_it_was_asked_in(world, eosg):
    with translation.override("fr"):
        job = services.export_job_create(
            actor=eosg, request=services.ExportRequest(kind="actions", format="csv", filters=Filters())
        )
    services.export_job_run(job_id=job.pk)  # the worker runs in English
    job.refresh_from_db()
    header = job.file.read().decode("utf-8-sig").splitlines()[0].split(",")
    assert job.language == "fr" and {"Pays", "Région", "Échéance"} <= set(header)
