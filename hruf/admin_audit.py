"""The admin's writes go into the audit trail like the app's own: every add, change and delete of a
registered model (inline rows included), with the fields that changed, its many-to-many links too (an
indicator's risk factors, say), labelled by kind and id only."""

from django.contrib import admin
from django.db import transaction

from .audit import Audit, audit_changes, audit_record, audit_snapshot


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every write is audited in the transaction that makes it. The list page's
    editable columns go through save_model too, so a country moved to another region there is recorded."""

    def save_model(self, request, obj, form, change):
        before = audit_snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        changes = audit_changes(before, obj)
        if changes or not change:
            audit_record(actor=request.user, action=Audit.UPDATE if change else Audit.CREATE, obj=obj,
                         changes=changes, request=request)

    def save_related(self, request, form, formsets, change):
        # The object's own links are saved here, after save_model: compared before and after.
        before = _links(form.instance) if change else {}
        super().save_related(request, form, formsets, change)
        _audit_links(request, form.instance, before)

    def save_formset(self, request, form, formset, change):
        # Read from the database: validating the forms already wrote the new values onto their instances.
        kept = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
        rows = list(formset.model.objects.filter(pk__in=kept))
        before = {row.pk: audit_snapshot(row) for row in rows}
        links_before = {row.pk: _links(row) for row in rows}
        for gone in (f.instance for f in formset.deleted_forms if f.instance.pk in before):
            audit_record(actor=request.user, action=Audit.DELETE, obj=gone, request=request,
                         changes=audit_changes(before[gone.pk], None))
        super().save_formset(request, form, formset, change)
        for row in formset.new_objects:
            audit_record(actor=request.user, action=Audit.CREATE, obj=row, request=request,
                         changes=audit_changes(None, row))
        for row, _fields in formset.changed_objects:
            audit_record(actor=request.user, action=Audit.UPDATE, obj=row, request=request,
                         changes=audit_changes(before[row.pk], row))
        for row in (f.instance for f in formset.forms if f.instance.pk in links_before and f.instance not in
                    formset.deleted_objects):
            _audit_links(request, row, links_before[row.pk])
        for row in formset.new_objects:
            _audit_links(request, row, {})

    def deletion_detail(self, obj) -> dict:
        """What a deletion's event keeps beside the object's fields (a user's roles, say)."""
        return {}

    def _audit_deletion(self, request, obj) -> None:
        audit_record(actor=request.user, action=Audit.DELETE, obj=obj, request=request,
                     changes=audit_changes(obj, None), detail=self.deletion_detail(obj))

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit_deletion(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._audit_deletion(request, obj)
            super().delete_queryset(request, queryset)


def _links(obj) -> dict[str, list]:
    """The object's many-to-many links by field, as sorted ids."""
    return {f.name: sorted(getattr(obj, f.name).values_list("pk", flat=True)) for f in obj._meta.many_to_many}


def _audit_links(request, obj, before: dict[str, list]) -> None:
    after = _links(obj)
    changes = {name: [before.get(name, []), ids] for name, ids in after.items() if before.get(name, []) != ids}
    if changes:
        audit_record(actor=request.user, action=Audit.UPDATE, obj=obj, request=request, changes=changes,
                     detail={"step": "links"})
