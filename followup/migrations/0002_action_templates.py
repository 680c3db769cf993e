"""The starting library of preventive actions as it was when this migration was written, frozen
beside it (0002_action_templates.json): later edits of followup/reference.py never change what
this step of history loads."""

import json
from pathlib import Path

from django.db import migrations

FROZEN = Path(__file__).with_suffix(".json")


def load(apps, schema_editor):
    ActionTemplate, Entity = apps.get_model("followup", "ActionTemplate"), apps.get_model("hruf", "Entity")
    templates = json.loads(FROZEN.read_text(encoding="utf-8"))
    leads = {e.code: e for e in Entity.objects.filter(code__in={t["lead"] for t in templates})}
    for t in templates:
        ActionTemplate.objects.get_or_create(
            title=t["title"], defaults={"description": t["description"], "default_lead": leads.get(t["lead"])}
        )


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial"), ("hruf", "0002_reference_places")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
