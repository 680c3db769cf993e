"""Evidence files for the tests of the pages, the API and the exports: uploads of each kind, a private
store in the test's own folder, a draft, a restricted alert, and a submitted scan with an open and a
restricted file (registered in tests/conftest.py)."""

import io

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from scans import services
from scans.evidence import attach_to_rating
from scans.models import Alert, EvidenceFile
from scans.periods import current_period

PERSONAS = ["officer_a", "officer_b", "chair_a", "chair_b", "sag", "eosg", "owner", "outsider"]
# Who reads a restricted file of country A (DOMAIN.md): its officers, its region's chairs, EOSG.
RESTRICTED_READERS = {"officer_a", "chair_a", "eosg"}
# Who reads an open file of a submitted scan of country A: everyone who reads the country.
OPEN_READERS = RESTRICTED_READERS | {"sag"}
GPS_IFD = 0x8825


def photo_upload(name="camp.jpg") -> SimpleUploadedFile:
    """A JPEG with a camera's metadata: its maker and the place it was taken."""
    image = Image.new("RGB", (1200, 800), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (9.0, 3.0, 0.0), 3: "E", 4: (7.0, 29.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf_upload(name="report.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def evidence_store(settings, tmp_path, monkeypatch):
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "hruf.encryption.EncryptedFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    # The model's fields took their storage when the model was defined: they are pointed here too.
    for name in ("file", "thumbnail"):
        monkeypatch.setattr(EvidenceFile._meta.get_field(name), "storage", storages["evidence"])
    return tmp_path / "private"


@pytest.fixture
def personas(officer_a, officer_b, chair_a, chair_b, sag, eosg, owner, outsider):
    return {
        "officer_a": officer_a,
        "officer_b": officer_b,
        "chair_a": chair_a,
        "chair_b": chair_b,
        "sag": sag,
        "eosg": eosg,
        "owner": owner,
        "outsider": outsider,
    }


@pytest.fixture
def draft_scan(evidence_store, matrix, country_a, officer_a):
    period = current_period(country_a, timezone.localdate())
    return services.scan_start(country=country_a, period=period, actor=officer_a, today=timezone.localdate())


@pytest.fixture
def restricted_alert(evidence_store, country_a, officer_a):
    return Alert.objects.create(
        country=country_a,
        title="Attack",
        location="North",
        severity="severe",
        description="d",
        raised_by=officer_a,
        evidence_restricted=True,
    )


@pytest.fixture
def submitted_files(draft_scan, officer_a):
    """A submitted scan of country A with a file on an open rating and one on a restricted rating."""
    open_rating, secret_rating = draft_scan.revisions.get().ratings.order_by("pk")[:2]
    secret_rating.restricted = True
    secret_rating.save()
    open_file = attach_to_rating(actor=officer_a, rating=open_rating, upload=pdf_upload("open.pdf"))
    secret_file = attach_to_rating(actor=officer_a, rating=secret_rating, upload=photo_upload("source.jpg"))
    revision = draft_scan.revisions.get()
    data = {
        r.pk: services.RatingData(rating=1, trend="stable", evidence="e", confidence="medium", restricted=r.restricted)
        for r in revision.ratings.all()
    }
    services.scan_submit(
        revision=revision, actor=officer_a, lock_version=revision.lock_version, ratings=data, narrative="n"
    )
    return draft_scan, open_file, secret_file
