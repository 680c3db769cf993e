from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .places import Country, Entity, Region


class User(AbstractUser):
    """A person; what they may see and do comes from their role assignments."""

    class EmailMode(models.TextChoices):
        IMMEDIATE = "immediate", _("An email for each notification")
        DIGEST = "digest", _("One weekly digest email")

    email_mode = models.CharField(
        _("email"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    # Chosen on the preferences page (hruf/locales.py); empty: the browser's language, and UTC.
    language = models.CharField(
        _("language"), max_length=10, blank=True,
        help_text=_("Pages and email in this language. Empty: pages in your browser's language, email in English."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, help_text=_("Times are shown in this zone. Empty: UTC.")
    )
    # Raised by every role change (hruf/access_revocation.py): part of the session's hash, so it ends them all.
    access_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        # Django's hash covers the password only (a new one ends the other sessions); ours covers the roles too.
        return salted_hmac("hruf.models.User.session", f"{self.password}|{self.access_epoch}", secret=secret,
                           algorithm="sha256").hexdigest()


class Role(models.TextChoices):
    OFFICER = "officer", _("Field officer")
    CHAIR = "chair", _("Regional review chair")
    SAG = "sag", _("SAG member")
    OWNER = "owner", _("Action owner")
    EOSG = "eosg", _("EOSG staff")
    ADMIN = "admin", _("Administrator")


class RoleAssignment(models.Model):
    """One role held by one user, with its scope: a country, a region, an entity, or everything."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("country")
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("entity")
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            # Each role carries exactly the scope it needs and no other.
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role=Role.OFFICER, country__isnull=False, region__isnull=True, entity__isnull=True)
                    | Q(role=Role.CHAIR, country__isnull=True, region__isnull=False, entity__isnull=True)
                    | Q(role=Role.OWNER, country__isnull=True, region__isnull=True, entity__isnull=False)
                    | Q(
                        role__in=[Role.SAG, Role.EOSG, Role.ADMIN],
                        country__isnull=True,
                        region__isnull=True,
                        entity__isnull=True,
                    )
                ),
            ),
            # One constraint per kind of scope, since NULLs never compare equal in a unique index.
            models.UniqueConstraint(
                fields=["user", "role", "country"], condition=Q(country__isnull=False), name="role_unique_per_country"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"], condition=Q(region__isnull=False), name="role_unique_per_region"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "entity"], condition=Q(entity__isnull=False), name="role_unique_per_entity"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(country__isnull=True, region__isnull=True, entity__isnull=True),
                name="role_unique_global",
            ),
        ]

    def __str__(self) -> str:
        scope = self.country or self.region or self.entity
        return f"{self.user}: {self.get_role_display()}" + (f" ({scope})" if scope else "")
