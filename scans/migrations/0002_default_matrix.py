"""The 14 risk factors and the first version of the simple matrix as they were when this
migration was written, frozen beside it (0002_default_matrix.json): later edits of
scans/reference.py never change what this step of history loads."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

FROZEN = Path(__file__).with_suffix(".json")


def load(apps, schema_editor):
    RiskFactor, MatrixVersion, Indicator = (apps.get_model("scans", m) for m in ("RiskFactor", "MatrixVersion", "Indicator"))
    data = json.loads(FROZEN.read_text(encoding="utf-8"))
    factors = {
        f["number"]: RiskFactor.objects.update_or_create(number=f["number"], defaults={"name": f["name"], "group": f["group"]})[0]
        for f in data["risk_factors"]
    }
    version, created = MatrixVersion.objects.get_or_create(
        number=1, defaults={"notes": "Default simple matrix.", "published_at": timezone.now()}
    )
    if created:
        for position, row in enumerate(data["indicators"], start=1):
            indicator = Indicator.objects.create(
                version=version, code=row["code"], position=position, name=row["name"], question=row["question"],
                guidance=row["guidance"],
            )
            indicator.risk_factors.set([factors[n] for n in row["risk_factors"]])


class Migration(migrations.Migration):
    dependencies = [("scans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
