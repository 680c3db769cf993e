from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin_audit import AuditedAdmin
from .audit import WITHHELD, Audit, audit_record
from .models import AuditEvent, Country, Entity, Region, RoleAssignment, User
from .permissions import can_browse_audit
from .translated import TranslationsAdminMixin

# No back door: django-otp's pages would let an administrator read two-factor secrets, and knox's token
# page (not shown: our token model is swapped in) would make a token for anyone. Credentials are made
# by their owner only (/api/v1/token/, /accounts/two-factor/); groups and Django permissions are not
# how this app grants access (roles are).
for model in (TOTPDevice, StaticDevice, Group):
    admin.site.unregister(model)

# django-axes' pages, re-registered: removing or editing a lock-out record unlocks an account, so it is
# audited like any other write; the logs of sign-ins and failures are the record of an attack and stay
# read-only.
for model in (AccessAttempt, AccessLog, AccessFailureLog):
    admin.site.unregister(model)


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AuditedAdmin, AccessAttemptAdmin):
    pass


class _ReadOnly:
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class ReadOnlyAccessLogAdmin(_ReadOnly, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class ReadOnlyAccessFailureLogAdmin(_ReadOnly, AccessFailureLogAdmin):
    pass


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["country", "region", "entity"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """People and their roles are managed here, so every change here goes into the audit trail
    (AuditedAdmin: the user and each role row; a deleted user's event lists the roles it had)."""

    inlines = [RoleAssignmentInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active"]

    def deletion_detail(self, obj) -> dict:
        return {"roles": [str(r) for r in obj.roles.select_related("country", "region", "entity")]}

    def user_change_password(self, request, id, form_url=""):
        # The new password and its event (written in construct_change_message) commit together.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)

    def construct_change_message(self, request, form, formsets, add=False):
        # The password page saves its form without the request; this is its first step that has both.
        if isinstance(form, AdminPasswordChangeForm):
            audit_record(actor=request.user, action=Audit.UPDATE, obj=form.user, request=request,
                         changes={"password": [WITHHELD, WITHHELD]}, detail={"step": "password_set"})
        return super().construct_change_message(request, form, formsets, add)


@admin.register(Region)
class RegionAdmin(TranslationsAdminMixin, AuditedAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Country)
class CountryAdmin(AuditedAdmin):
    list_display = ["name", "iso3", "iso2", "region", "enhanced_reporting", "monthly_from"]
    list_filter = ["region", "enhanced_reporting"]
    list_editable = ["region", "enhanced_reporting"]
    search_fields = ["name", "iso2", "iso3"]
    list_select_related = ["region"]


@admin.register(Entity)
class EntityAdmin(TranslationsAdminMixin, AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is never added to, changed or deleted by hand (see /audit/ to browse it)."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id", "object_label", "country"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_label", "object_id"]
    list_select_related = ["country"]

    def has_view_permission(self, request, obj=None):
        return can_browse_audit(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
