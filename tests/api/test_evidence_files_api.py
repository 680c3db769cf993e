"""Evidence files over the API (issue 13, item 4): attached by the country's officers, listed and served as
the pages serve them, restricted downloads audited."""

from django.core.files.uploadedfile import SimpleUploadedFile

from hruf.models import AuditEvent
from scans.models import EvidenceFile

from ..evidence_fixtures import PERSONAS, RESTRICTED_READERS, pdf_upload, photo_upload


def test_the_api_attaches_lists_and_serves_files_to_their_readers(
    api, personas, draft_scan, restricted_alert, officer_a
):
    rating = draft_scan.revisions.get().ratings.first()
    officer = api(officer_a)
    made = officer.post("/api/v1/evidence-files/", {"rating": rating.pk, "file": pdf_upload()}, format="multipart")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["name"] == "report.pdf" and body["sha256"] == rating.files.get().sha256 and body["kind"] == "document"
    assert made["Location"].endswith(f"/api/v1/evidence-files/{body['id']}/")
    on_alert = officer.post(
        "/api/v1/evidence-files/", {"alert": restricted_alert.pk, "file": photo_upload()}, format="multipart"
    )
    assert on_alert.status_code == 201
    refused = officer.post(
        "/api/v1/evidence-files/",
        {"alert": restricted_alert.pk, "file": SimpleUploadedFile("a.jpg", b"x\n" * 9)},
        format="multipart",
    )
    assert refused.status_code == 400 and "not accepted" in str(refused.json())
    assert sorted(f["name"] for f in officer.get("/api/v1/evidence-files/").json()["results"]) == [
        "camp.jpg",
        "report.pdf",
    ]
    content = officer.get(on_alert.json()["content"])
    assert content.status_code == 200 and b"".join(content.streaming_content)[:3] == b"\xff\xd8\xff"
    # The alert's file is restricted (as its evidence): its chair and EOSG read it, others get 404.
    for persona in PERSONAS:
        answer = api(personas[persona]).get(f"/api/v1/evidence-files/{on_alert.json()['id']}/content/")
        assert answer.status_code == (200 if persona in RESTRICTED_READERS else 404), persona
    # Every fetch of it by a reader is audited: the officer's own, then its three readers'.
    assert AuditEvent.objects.filter(action="read_restricted", object_type="scans.evidencefile").count() == 4


def test_the_api_refuses_uploads_by_readers_and_on_another_country(api, chair_a, officer_b, restricted_alert):
    assert (
        api(chair_a)
        .post("/api/v1/evidence-files/", {"alert": restricted_alert.pk, "file": pdf_upload()}, format="multipart")
        .status_code
        == 403
    )
    assert (
        api(officer_b)
        .post("/api/v1/evidence-files/", {"alert": restricted_alert.pk, "file": pdf_upload()}, format="multipart")
        .status_code
        == 404
    )
    assert not EvidenceFile.objects.exists()
