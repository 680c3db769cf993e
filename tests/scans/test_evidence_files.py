"""Evidence files on ratings and alerts (issue 13, item 4): the type read from the content, the size
limit, a SHA-256 digest, thumbnails without metadata, stored outside the static root, served only to
those who may read them, every download of a restricted one audited."""

import hashlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from hruf.models import AuditEvent
from scans.evidence import EvidenceRefused, attach_to_alert, attach_to_rating
from scans.models import EvidenceFile
from scans.periods import current_period

from ..evidence_fixtures import GPS_IFD, OPEN_READERS, PERSONAS, RESTRICTED_READERS, pdf_upload, photo_upload
from ..factories import file_scan


def test_a_photo_is_kept_with_its_digest_and_shown_as_a_thumbnail_without_metadata(draft_scan, officer_a):
    rating = draft_scan.revisions.get().ratings.first()
    upload = photo_upload()
    content = upload.read()
    upload.seek(0)
    evidence = attach_to_rating(actor=officer_a, rating=rating, upload=upload)
    assert (evidence.kind, evidence.content_type, evidence.name) == ("image", "image/jpeg", "camp.jpg")
    assert evidence.sha256 == hashlib.sha256(content).hexdigest() and evidence.size == len(content)
    assert evidence.uploaded_by == officer_a and evidence.uploaded_at is not None
    assert evidence.file.read() == content  # the original, as received
    assert "camp" not in evidence.file.name and not evidence.file.name.startswith(str(settings.STATIC_ROOT))
    with Image.open(evidence.thumbnail) as thumb:
        assert max(thumb.size) == 320
        assert not thumb.getexif() and not thumb.getexif().get_ifd(GPS_IFD) and "exif" not in thumb.info
    assert AuditEvent.objects.filter(object_type="scans.evidencefile", action="create").count() == 1


def test_documents_and_their_type_from_the_content(restricted_alert, officer_a):
    evidence = attach_to_alert(actor=officer_a, alert=restricted_alert, upload=pdf_upload("Report from the camp.PDF"))
    assert (evidence.kind, evidence.content_type, bool(evidence.thumbnail)) == ("document", "application/pdf", False)
    # A PDF whose name does not say so is still a PDF, stored under its real type's extension.
    renamed = attach_to_alert(actor=officer_a, alert=restricted_alert, upload=pdf_upload("notes"))
    assert renamed.content_type == "application/pdf" and renamed.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("photo.jpg", b"just text pretending\n" * 20, content_type="image/jpeg"), "not accepted"),
        (
            SimpleUploadedFile("photo.jpg", b"%PDF-1.4\n%%EOF\n", content_type="image/jpeg"),
            "its content is application/pdf",
        ),
        (SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200), "could not be read"),
        (SimpleUploadedFile("run.sh", b"#!/bin/sh\nrm -rf /\n"), "not accepted"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
    ],
)
def test_refused_files_say_why_and_leave_nothing(restricted_alert, officer_a, upload, message):
    with pytest.raises(EvidenceRefused, match=message):
        attach_to_alert(actor=officer_a, alert=restricted_alert, upload=upload)
    assert not EvidenceFile.objects.exists()


def test_a_file_over_the_limit_is_refused(restricted_alert, officer_a, settings):
    settings.EVIDENCE_MAX_MB = 1
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(EvidenceRefused, match="the limit is 1 MB"):
        attach_to_alert(actor=officer_a, alert=restricted_alert, upload=big)


def test_no_upload_on_a_submitted_scan_nor_by_another_country_s_officer(
    matrix, country_a, officer_a, officer_b, restricted_alert
):
    scan = file_scan(country_a, officer_a, current_period(country_a, timezone.localdate()).previous())
    with pytest.raises(EvidenceRefused, match="submitted"):
        attach_to_rating(actor=officer_a, rating=scan.submitted_revision.ratings.first(), upload=pdf_upload())
    with pytest.raises(EvidenceRefused, match="country's officers"):
        attach_to_alert(actor=officer_b, alert=restricted_alert, upload=pdf_upload())


def test_the_scan_form_attaches_a_file_and_a_refusal_is_explained(login, draft_scan, officer_a):
    client = login(officer_a)
    rating = draft_scan.revisions.get().ratings.first()
    url = reverse("scans:evidence_attach_rating", args=[draft_scan.pk])
    response = client.post(url, {"rating": rating.pk, "file": pdf_upload()}, follow=True)
    assert "File attached." in response.content.decode()
    assert rating.files.get().name == "report.pdf"
    form = client.get(reverse("scans:scan_edit", args=[draft_scan.pk])).content.decode()
    assert (
        'enctype="multipart/form-data"' in form
        and "report.pdf" in form
        and '<label class="form-label" for="evidence-file">' in form
    )
    refused = client.post(url, {"rating": rating.pk, "file": SimpleUploadedFile("a.jpg", b"text\n" * 10)}, follow=True)
    assert "The file was not attached: Files of this type (text/plain) are not accepted" in refused.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_files_are_served_only_to_their_readers(login, personas, submitted_files, persona):
    scan, open_file, secret_file = submitted_files
    client = login(personas[persona])
    for evidence, readers in ((open_file, OPEN_READERS), (secret_file, RESTRICTED_READERS)):
        response = client.get(reverse("scans:evidence_download", args=[evidence.pk]))
        assert response.status_code == (200 if persona in readers else 404), (persona, evidence.name)
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == evidence.file.open("rb").read()
            assert response["Content-Disposition"].startswith("attachment")
    thumb = client.get(reverse("scans:evidence_thumbnail", args=[secret_file.pk]))
    assert thumb.status_code == (200 if persona in RESTRICTED_READERS else 404)
    if persona in OPEN_READERS:
        page = client.get(reverse("scans:scan_detail", args=[scan.pk])).content.decode()
        assert "open.pdf" in page and ("source.jpg" in page) == (persona in RESTRICTED_READERS)


def test_every_download_of_a_restricted_file_is_audited(login, chair_a, submitted_files):
    _scan, open_file, secret_file = submitted_files
    client = login(chair_a)
    for _ in range(2):
        client.get(reverse("scans:evidence_download", args=[secret_file.pk]))
    client.get(reverse("scans:evidence_download", args=[open_file.pk]))
    reads = AuditEvent.objects.filter(action="read_restricted", object_type="scans.evidencefile")
    assert reads.count() == 2 and {e.object_id for e in reads} == {str(secret_file.pk)}
    assert all(e.actor == chair_a for e in reads)


def test_a_draft_s_files_stay_with_its_officers(login, personas, draft_scan, officer_a):
    evidence = attach_to_rating(actor=officer_a, rating=draft_scan.revisions.get().ratings.first(), upload=pdf_upload())
    for persona in PERSONAS:
        status = login(personas[persona]).get(reverse("scans:evidence_download", args=[evidence.pk])).status_code
        assert status == (200 if persona == "officer_a" else 404), persona
