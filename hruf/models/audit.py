"""The audit trail: one row per change, restricted read, export or sign-in. Rows are only ever added.

Append-only is enforced three times over: `save()` inserts and never updates, `delete()` and the
queryset's `update()`/`delete()` refuse, and on PostgreSQL a trigger refuses UPDATE and DELETE
from anything that goes around Django (migration 0005). Nothing in the app edits or removes a row.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .places import Country


class AuditTrailImmutable(Exception):
    """An attempt to change or remove a row of the audit trail."""

    def __init__(self, what: str = "change"):
        super().__init__(f"The audit trail is append-only: refusing to {what} an event.")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailImmutable("update")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditTrailImmutable("update")

    def delete(self):
        raise AuditTrailImmutable("delete")

    delete.queryset_only = True


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", pgettext_lazy("audit action", "changed")
        DELETE = "delete", _("deleted")
        READ_RESTRICTED = "read_restricted", _("read restricted evidence")
        EXPORT = "export", _("exported")
        SIGN_IN = "sign_in", _("signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("sign-in refused")
        SIGN_OUT = "sign_out", _("signed out")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # No database constraint and nothing done on delete: removing a user or a country must not
    # rewrite history (a SET_NULL would be an UPDATE, which the trigger refuses). The label keeps
    # the name; a join to a removed user simply finds nobody.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+", verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who"), max_length=200, blank=True)
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+", verbose_name=_("country"),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)  # {field: [before, after]}
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object")]

    def __str__(self) -> str:
        who = self.actor_label or "-"
        return f"{self.at:%Y-%m-%d %H:%M:%S} {who} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields") is not None:
            raise AuditTrailImmutable("update")
        # An explicit primary key must never turn an insert into an overwrite of an older row.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailImmutable("delete")
