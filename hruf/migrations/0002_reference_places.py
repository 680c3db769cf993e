"""Regions, the 193 member states and the lead entities as they were when this migration was
written: the data is frozen beside it (0002_reference_places.json), so later edits of
hruf/reference.py never change what this step of history loads."""

import json
from pathlib import Path

from django.db import migrations

FROZEN = Path(__file__).with_suffix(".json")


def load(apps, schema_editor):
    Region, Country, Entity = (apps.get_model("hruf", m) for m in ("Region", "Country", "Entity"))
    data = json.loads(FROZEN.read_text(encoding="utf-8"))
    regions = {
        code: Region.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in data["regions"].items()
    }
    for row in data["countries"]:
        fields = {"iso2": row["iso2"], "name": row["name"], "official_name": row["official_name"]}
        Country.objects.update_or_create(
            iso3=row["iso3"], defaults=fields, create_defaults={**fields, "region": regions[row["region"]]}
        )
    for code, name in data["entities"].items():
        Entity.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("hruf", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
