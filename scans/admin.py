"""Reference data only: scans and alerts carry restricted evidence and stay out of the admin."""

from django.contrib import admin

from hruf.admin_audit import AuditedAdmin
from hruf.translated import TranslationsAdminMixin

from .models import CaseIndicator, Indicator, MatrixVersion, RiskFactor


@admin.register(RiskFactor)
class RiskFactorAdmin(TranslationsAdminMixin, AuditedAdmin):
    list_display = ["number", "name", "group"]


class IndicatorInline(TranslationsAdminMixin, admin.StackedInline):
    model = Indicator
    extra = 0
    filter_horizontal = ["risk_factors"]


@admin.register(MatrixVersion)
class MatrixVersionAdmin(AuditedAdmin):
    list_display = ["number", "published_at", "notes"]
    inlines = [IndicatorInline]

    def get_readonly_fields(self, request, obj=None):
        # A published version is what filed scans were rated against: it never changes.
        if obj is not None and obj.published_at:
            return ["number", "published_at"]
        return []

    def get_inlines(self, request, obj):
        return [] if obj is not None and obj.published_at else self.inlines


@admin.register(CaseIndicator)
class CaseIndicatorAdmin(AuditedAdmin):
    list_display = ["name", "country", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "country__name"]
    autocomplete_fields = ["country"]
    readonly_fields = ["created_by", "created_at"]
    filter_horizontal = ["risk_factors"]
