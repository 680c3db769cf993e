"""Evidence files attached to a rating or an alert: photos, documents, audio. Stored outside the public
static root (the "evidence" storage), served only through views that ask hruf.permissions."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hruf.encryption import EncryptedTextField
from hruf.models import Country

from .alerts import Alert
from .scans import Rating


def evidence_storage():
    """The configured evidence store (a local folder by default, an object store where configured)."""
    return storages["evidence"]


def _stored_name(instance, filename: str) -> str:
    # Never the uploaded name on disk: it may name a source. The extension is the detected type's.
    return f"evidence/{instance.country_id}/{uuid.uuid4().hex}{instance.extension}"


def _thumbnail_name(instance, filename: str) -> str:
    return f"evidence/{instance.country_id}/thumbnails/{uuid.uuid4().hex}.jpg"


class EvidenceFile(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Photo")
        DOCUMENT = "document", _("Document")
        AUDIO = "audio", _("Audio")

    rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    # The country of its rating or alert, kept here so that permissions filter files in one join.
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=_stored_name, storage=evidence_storage, max_length=200)
    thumbnail = models.FileField(upload_to=_thumbnail_name, storage=evidence_storage, max_length=200, blank=True)
    # The name it was uploaded with: it may name a source, so it is encrypted like the file.
    name = EncryptedTextField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(_("type"), max_length=120)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.CheckConstraint(
                name="evidence_file_has_one_parent",
                condition=Q(rating__isnull=False, alert__isnull=True) | Q(rating__isnull=True, alert__isnull=False),
            )
        ]
        # The API pages files by keyset, newest first (hruf.api.pagination.keyset).
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="evidence_file_newest")]

    def __str__(self) -> str:
        # Never the name: it may name a source, and labels reach the audit trail.
        return f"evidence file {self.pk}"

    @property
    def restricted(self) -> bool:
        """It follows its rating's or alert's restriction."""
        return self.rating.restricted if self.rating_id else self.alert.evidence_restricted
