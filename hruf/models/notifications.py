from django.db import models
from django.utils.translation import gettext_lazy as _

from ..notices import notice_body, notice_subject, render_notice
from .people import User


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def held_for_digest(self) -> "NotificationQuerySet":
        return self.filter(email_state=Notification.EmailState.DIGEST)

    def email_pending(self) -> "NotificationQuerySet":
        return self.filter(email_state=Notification.EmailState.PENDING)


class Notification(models.Model):
    """An in-app message and, through its email state, the outbox row for its email.

    Rows are written in the same transaction as the event they announce; delivery
    claims a row with compare-and-set before sending, so it is sent at most once.
    """

    class EmailState(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        DIGEST = "digest", _("held for the weekly digest")

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    # What to say, as a code of hruf.notices.NOTICES and its plain parameters (ids, names, ISO
    # dates, numbers; never restricted evidence): the words are chosen when it is read or mailed.
    code = models.CharField(_("code"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        _("email state"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_claimed_at = models.DateTimeField(_("email claimed at"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("email sent at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    email_error = models.TextField(_("last email error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            # A person's inbox, newest first, read through this index at any age (and the API by keyset).
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_newest"),
            models.Index(fields=["email_state", "email_claimed_at"], name="notification_outbox"),
        ]

    def __str__(self) -> str:
        return self.subject

    def render(self, *, language: str | None = None) -> tuple[str, str]:
        """(subject, body) in `language`; None means the active language (the reader's page)."""
        return render_notice(self.code, self.params, language=language)

    @property
    def subject(self) -> str:
        return notice_subject(self.code, self.params)

    @property
    def body(self) -> str:
        return notice_body(self.code, self.params)
