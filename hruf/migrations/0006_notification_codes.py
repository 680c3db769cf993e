"""Notifications become a code with parameters, rendered in the reader's language when read.

Rows written before keep their sentence as it was written, under the legacy code (hruf.codes.LEGACY).
"""

from django.db import migrations, models


def to_codes(apps, schema_editor):
    Notification = apps.get_model("hruf", "Notification")
    rows = list(Notification.objects.only("pk", "subject", "body"))
    for n in rows:
        n.code, n.params = "legacy", {"subject": n.subject, "body": n.body}
    Notification.objects.bulk_update(rows, ["code", "params"], batch_size=500)


def to_prose(apps, schema_editor):
    Notification = apps.get_model("hruf", "Notification")
    rows = list(Notification.objects.only("pk", "code", "params"))
    for n in rows:
        # A coded row cannot be put back into words here (the catalogue is live code): keep what
        # the legacy rows had, and the code for the others.
        n.subject = str(n.params.get("subject", n.code))[:200] if n.code == "legacy" else n.code[:200]
        n.body = str(n.params.get("body", "")) if n.code == "legacy" else ""
    Notification.objects.bulk_update(rows, ["subject", "body"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("hruf", "0005_audit_event")]

    operations = [
        migrations.AddField(
            model_name="notification", name="code", field=models.CharField(default="legacy", max_length=60, verbose_name="code"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification", name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
        migrations.RunPython(to_codes, to_prose),
        migrations.RemoveField(model_name="notification", name="subject"),
        migrations.RemoveField(model_name="notification", name="body"),
    ]
