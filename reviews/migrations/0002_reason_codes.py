"""Proposal reasons become codes with parameters (reviews.reasons), rendered when read.

Reasons written before, on agenda items and in published meetings' frozen rankings, keep their
sentence as it was written under the legacy code (hruf.codes.LEGACY).
"""

from django.db import migrations


def _coded(reasons):
    return [r if isinstance(r, dict) else {"code": "legacy", "params": {"text": str(r)}} for r in reasons or []]


def _prose(reasons):
    return [r["params"].get("text", r["code"]) if isinstance(r, dict) and r.get("code") == "legacy"
            else (r.get("code", "") if isinstance(r, dict) else r) for r in reasons or []]


def _convert(apps, convert):
    AgendaItem = apps.get_model("reviews", "AgendaItem")
    Meeting = apps.get_model("reviews", "Meeting")
    items = list(AgendaItem.objects.only("pk", "proposal_reasons"))
    for item in items:
        item.proposal_reasons = convert(item.proposal_reasons)
    AgendaItem.objects.bulk_update(items, ["proposal_reasons"], batch_size=500)
    meetings = list(Meeting.objects.only("pk", "snapshot"))
    for meeting in meetings:
        meeting.snapshot = [{**row, "reasons": convert(row.get("reasons"))} for row in meeting.snapshot]
    Meeting.objects.bulk_update(meetings, ["snapshot"], batch_size=100)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [
        migrations.RunPython(lambda apps, _schema: _convert(apps, _coded), lambda apps, _schema: _convert(apps, _prose)),
    ]
