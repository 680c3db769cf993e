"""Restricted evidence retired on a schedule. RESTRICTED_EVIDENCE_MONTHS after a scan was submitted (or an
alert raised), its restricted evidence text is replaced by "[withheld after N months]" and its files are
deleted; the rating, the trend, the score and the audit trail stay. A source named years ago should not
stay one stolen disk away. 0 (the default) keeps everything, for a deployment whose records policy says
so. Evidence carried into a newer scan counts from that scan: its officer submitted it again.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hruf.audit import WITHHELD, Audit, audit_record
from hruf.concurrency import compare_and_set
from hruf.sweeps import SweepResult, sweep_rows

from .models import Alert, EvidenceFile, Rating


def withheld_text(months: int) -> str:
    # Stored, not rendered: it stands in the evidence's place in pages, the API and exports alike.
    return f"[withheld after {months} months]"


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the month's last day where it has fewer)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def sweep_restricted_evidence(*, now: dt.datetime | None = None) -> SweepResult:
    months = settings.RESTRICTED_EVIDENCE_MONTHS
    if not months:
        return SweepResult()
    now = now or timezone.now()
    cutoff = months_before(now, months)
    ratings = Rating.objects.filter(
        restricted=True, evidence_retired_at__isnull=True, revision__submitted_at__lt=cutoff
    ).values_list("pk", flat=True)
    alerts = Alert.objects.filter(
        evidence_restricted=True, evidence_retired_at__isnull=True, raised_at__lt=cutoff
    ).values_list("pk", flat=True)
    return sweep_rows("restricted evidence (ratings)", list(ratings), lambda pk: _retire(Rating, pk, months, now),
                      row_id=lambda pk: f"rating {pk}") + \
        sweep_rows("restricted evidence (alerts)", list(alerts), lambda pk: _retire(Alert, pk, months, now),
                   row_id=lambda pk: f"alert {pk}")


def _retire(model: type[Rating] | type[Alert], pk: int, months: int, now: dt.datetime) -> int:
    parent = "rating" if model is Rating else "alert"
    with transaction.atomic():
        if not compare_and_set(model, pk=pk, expected={"evidence_retired_at__isnull": True},
                               new={"evidence_retired_at": now}):
            return 0  # another sweep took it
        model.objects.filter(pk=pk).exclude(evidence="").update(evidence=withheld_text(months))
        obj = model.objects.select_related("revision__scan" if model is Rating else "country").get(pk=pk)
        country_id = obj.revision.scan.country_id if isinstance(obj, Rating) else obj.country_id
        files = list(EvidenceFile.objects.filter(**{parent: pk}).values_list("pk", "sha256", "file", "thumbnail"))
        EvidenceFile.objects.filter(pk__in=[f[0] for f in files]).delete()
        audit_record(actor=None, action=Audit.UPDATE, obj=obj, country=country_id,
                     changes={"evidence": [WITHHELD, WITHHELD]},
                     detail={"step": "evidence_retired", "months": months,
                             "files_deleted": [{"id": f[0], "sha256": f[1]} for f in files]})
        transaction.on_commit(lambda: _delete_stored([name for f in files for name in f[2:] if name]))
    return 1


def _delete_stored(names: list[str]) -> None:
    storage = EvidenceFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
