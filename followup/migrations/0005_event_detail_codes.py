"""An enforcement event's detail becomes a code with parameters, rendered when read.

Rows written before keep their text as it was, under the legacy code (hruf.codes.LEGACY).
"""

from django.db import migrations, models


def to_codes(apps, schema_editor):
    Event = apps.get_model("followup", "EnforcementEvent")
    rows = list(Event.objects.exclude(detail="").only("pk", "detail"))
    for e in rows:
        e.detail_code, e.detail_params = "legacy", {"text": e.detail}
    Event.objects.bulk_update(rows, ["detail_code", "detail_params"], batch_size=500)


def to_prose(apps, schema_editor):
    Event = apps.get_model("followup", "EnforcementEvent")
    rows = list(Event.objects.exclude(detail_code="").only("pk", "detail_code", "detail_params"))
    for e in rows:
        params = e.detail_params or {}
        e.detail = str(params.get("text") if e.detail_code == "legacy" else " ".join(map(str, params.values())))[:200]
    Event.objects.bulk_update(rows, ["detail"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("followup", "0004_dashboard_indexes")]

    operations = [
        migrations.AddField(
            model_name="enforcementevent", name="detail_code",
            field=models.CharField(blank=True, max_length=20, verbose_name="detail"),
        ),
        migrations.AddField(
            model_name="enforcementevent", name="detail_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="detail parameters"),
        ),
        migrations.RunPython(to_codes, to_prose),
        migrations.RemoveField(model_name="enforcementevent", name="detail"),
    ]
