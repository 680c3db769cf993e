"""API tokens (django-rest-knox's model, swapped in by KNOX_TOKEN_MODEL): only a digest of each key is
stored, with its first characters to tell it apart, an expiry, a name, when and from where it was last
used, and whether it was made after a second-factor check."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    name = models.CharField(_("name"), max_length=100, blank=True)
    second_factor = models.BooleanField(_("made after a second-factor check"), default=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    @property
    def audit_id(self) -> str:
        """How the audit trail names it: the key's first characters (the digest is the primary key)."""
        return self.token_key

    def __str__(self) -> str:
        # Never the digest: a label reaches the audit trail.
        return f"API token {self.token_key}… of {self.user}"
