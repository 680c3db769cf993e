"""Attaching evidence files: the type read from the content (never the name), checked against the
accepted kinds and the size limit; a SHA-256 digest, the uploader and the time kept; images given a
thumbnail re-encoded without their metadata (EXIF, location included). Every attachment is audited."""

from __future__ import annotations

import hashlib
import io
import os

import magic
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from hruf.audit import Audit, audit_record
from hruf.models import User
from hruf.permissions import can_file_for

from .models import Alert, EvidenceFile, Rating, ScanRevision

Kind = EvidenceFile.Kind
# Accepted types as libmagic names them: their kind and the extensions a name of that type may carry.
ACCEPTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "image/jpeg": (Kind.IMAGE, (".jpg", ".jpeg")),
    "image/png": (Kind.IMAGE, (".png",)),
    "image/webp": (Kind.IMAGE, (".webp",)),
    "image/heic": (Kind.IMAGE, (".heic",)),
    "application/pdf": (Kind.DOCUMENT, (".pdf",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (Kind.DOCUMENT, (".docx",)),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (Kind.DOCUMENT, (".xlsx",)),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (Kind.DOCUMENT, (".pptx",)),
    "application/vnd.oasis.opendocument.text": (Kind.DOCUMENT, (".odt",)),
    "application/vnd.oasis.opendocument.spreadsheet": (Kind.DOCUMENT, (".ods",)),
    "application/msword": (Kind.DOCUMENT, (".doc",)),
    "audio/mpeg": (Kind.AUDIO, (".mp3",)),
    "audio/x-m4a": (Kind.AUDIO, (".m4a",)),
    "audio/mp4": (Kind.AUDIO, (".m4a",)),
    "audio/ogg": (Kind.AUDIO, (".ogg", ".oga", ".opus")),
    "audio/x-wav": (Kind.AUDIO, (".wav",)),
    "audio/amr": (Kind.AUDIO, (".amr",)),
}
# Every extension that names an accepted type: a name with one of these must hold that type.
_NAMED = {ext: mime for mime, (_kind, exts) in ACCEPTED.items() for ext in exts}
THUMBNAIL_PX = 320
NAME_LIMIT = 200


class EvidenceRefused(Exception):
    """An upload the app does not take, with the reason for the person."""


def sniff(upload: UploadedFile) -> str:
    """The type libmagic reads from the file's first bytes."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    return magic.from_buffer(head, mime=True)


def _checked(upload: UploadedFile) -> tuple[str, str, str]:
    """(type, kind, extension) of an acceptable upload, or EvidenceRefused saying why not."""
    limit = settings.EVIDENCE_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise EvidenceRefused(_("The file is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": f"{upload.size / 1024 / 1024:.1f}", "limit": settings.EVIDENCE_MAX_MB})
    if upload.size == 0:
        raise EvidenceRefused(_("The file is empty."))
    mime = sniff(upload)
    if mime not in ACCEPTED:
        raise EvidenceRefused(_("Files of this type (%(type)s) are not accepted: send a photo, a PDF or office "
                                "document, or an audio recording.") % {"type": mime})
    kind, extensions = ACCEPTED[mime]
    named = _NAMED.get(os.path.splitext(upload.name or "")[1].lower())
    if named is not None and ACCEPTED[named][0] != kind:
        raise EvidenceRefused(_("The file's name says %(named)s but its content is %(type)s.") % {
            "named": named, "type": mime})
    return mime, kind, extensions[0]


def _thumbnail(upload: UploadedFile) -> ContentFile | None:
    """A small JPEG of the image, turned upright, re-encoded without any of its metadata. Refuses an
    upload whose image content does not decode (a file that only starts like an image)."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise EvidenceRefused(_("The image could not be read: it may be damaged, or not an image.")) from exc
    finally:
        upload.seek(0)
    upright.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=80)  # a fresh encoder writes no EXIF, GPS or comments
    return ContentFile(out.getvalue())


def _digest(upload: UploadedFile) -> str:
    upload.seek(0)
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


def _attach(*, actor: User, upload: UploadedFile, country, rating: Rating | None = None,
            alert: Alert | None = None) -> EvidenceFile:
    mime, kind, extension = _checked(upload)
    thumbnail = _thumbnail(upload) if kind == Kind.IMAGE and mime != "image/heic" else None
    name = os.path.basename(upload.name or "")[-NAME_LIMIT:] or _("evidence")
    evidence = EvidenceFile(rating=rating, alert=alert, country=country, name=name, kind=kind, content_type=mime,
                            extension=extension, size=upload.size, sha256=_digest(upload), uploaded_by=actor)
    with transaction.atomic():
        evidence.file.save("upload", upload, save=False)
        if thumbnail is not None:
            evidence.thumbnail.save("thumbnail", thumbnail, save=False)
        evidence.save()
        audit_record(actor=actor, action=Audit.CREATE, obj=evidence, country=country,
                     detail={"on": "rating" if rating else "alert", "parent": (rating or alert).pk, "kind": kind,
                             "size": upload.size, "sha256": evidence.sha256})
    return evidence


def attach_to_rating(*, actor: User, rating: Rating, upload: UploadedFile) -> EvidenceFile:
    """A file on a rating of a draft: only the country's officers, only while the scan is a draft."""
    country = rating.revision.scan.country
    if not can_file_for(actor, country):
        raise EvidenceRefused(_("Only the country's officers attach evidence to its scans."))
    if rating.revision.status != ScanRevision.Status.DRAFT:
        raise EvidenceRefused(_("This scan was submitted: start an amendment to add evidence."))
    return _attach(actor=actor, upload=upload, country=country, rating=rating)


def attach_to_alert(*, actor: User, alert: Alert, upload: UploadedFile) -> EvidenceFile:
    if not can_file_for(actor, alert.country):
        raise EvidenceRefused(_("Only the country's officers attach evidence to its alerts."))
    return _attach(actor=actor, upload=upload, country=alert.country, alert=alert)
