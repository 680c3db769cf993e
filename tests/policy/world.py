"""One small world for the policy table: every kind of object, all of it in country A (region A).

Officer A and chair A are in scope; officer B (same region, other country) and chair B (other
region) are the nearest outsiders; SAG, EOSG, an OHCHR action owner and a user with no role
complete the cast.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from briefings.models import BriefingPack
from exports.models import ExportJob
from followup import services as followup
from followup.capacity import deployment_save
from followup.models import ActionTemplate, Deployment
from hruf.models import Entity, Role, User
from reviews import services as reviews
from reviews.models import AgendaItem, Decision, Meeting
from scans import services as scans
from scans.evidence import attach_to_alert
from scans.external import external_snapshot_import
from scans.models import Alert, Scan
from scans.periods import Period, current_period

from ..factories import UserFactory, file_scan

PERSONAS = ("anonymous", "officer_a", "officer_b", "chair_a", "chair_b", "sag", "eosg", "owner", "outsider", "admin")


@dataclass
class World:
    people: dict[str, User | None]
    country: object
    scan: Scan
    draft: Scan
    alert: Alert
    rqr: Meeting
    item: AgendaItem
    sag: Meeting
    plan: object
    action: object
    benchmark: object
    notification: object
    export_job: ExportJob
    pack: BriefingPack
    snapshot: object
    month: str
    action_template: object
    evidence_file: object
    deployment: object


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, "JPEG")
    return out.getvalue()


def build_world(*, country_a, officer_a, officer_b, chair_a, chair_b, sag, eosg, owner, outsider) -> World:
    today = timezone.localdate()
    period = current_period(country_a, today)
    scan = file_scan(country_a, officer_a, period.previous(), rating=3, restricted=True, today=today)
    draft = scans.scan_start(country=country_a, period=period, actor=officer_a, today=today)
    alert = scans.alert_raise(
        country=country_a, actor=officer_a, title="Militia gathering", location="North", severity="severe",
        description="Seen at dawn.", evidence="Names of witnesses", evidence_restricted=True,
    )
    quarter = Period.containing(today, "quarterly")
    rqr = reviews.rqr_create(actor=chair_a, region=country_a.region, quarter=quarter, date=today, chair=chair_a)
    item = rqr.items.get(country=country_a) if rqr.items.filter(country=country_a).exists() else reviews.agenda_add(actor=chair_a,
        meeting=rqr, country=country_a, reason="Policy table", lock_version=rqr.lock_version
    )
    rqr.refresh_from_db()
    reviews.agenda_publish(meeting=rqr, actor=chair_a, lock_version=rqr.lock_version)
    item.refresh_from_db()
    item = reviews.item_record(
        item=item, actor=chair_a, lock_version=item.lock_version, summary="Discussed.",
        agreed_tier="", agreed_tier_reason="", decision=Decision.PLAN, decision_reason="", dissent="",
    )
    sag_meeting = reviews.sag_create(actor=sag, date=today, members=[sag])
    ohchr = Entity.objects.get(code="OHCHR")
    plan = followup.plan_create(
        country=country_a, actor=eosg, title="Protect witnesses", source_item=item,
        actions=[followup.ActionDraft(title="Deploy monitors", lead_entity=ohchr, owner=owner,
                                      deadline=today + dt.timedelta(days=30))],
        today=today,
    )
    action = plan.actions.get()
    benchmark = followup.benchmark_add(actor=owner, action=action, description="Monitors on site", due_date=today + dt.timedelta(days=10))
    # Files that exist, so a download answers for its audience and not "not ready yet".
    export_job = ExportJob.objects.create(user=officer_a, kind="scans", format="csv", state="done")
    export_job.file.save("policy.csv", ContentFile(b"country\n"))
    pack = BriefingPack.objects.create(
        kind=BriefingPack.Kind.RQR, meeting=rqr, period_start=quarter.start, period_end=quarter.end, state="done"
    )
    pack.file.save("policy.pdf", ContentFile(b"%PDF-1.4\n"))
    snapshot = external_snapshot_import(
        data=f"country,risk,rank\n{country_a.name},0.2,1\n".encode(), source="Early Warning Project",
        as_of_date=today, actor=eosg, original_filename="ewp.csv",
    )
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    people = {
        "anonymous": None, "officer_a": officer_a, "officer_b": officer_b, "chair_a": chair_a, "chair_b": chair_b,
        "sag": sag, "eosg": eosg, "owner": owner, "outsider": outsider, "admin": admin,
    }
    assert set(people) == set(PERSONAS)
    return World(
        people, country_a, scan, draft, alert, rqr, item, sag_meeting, plan, action, benchmark,
        notification=chair_a.notifications.first(), export_job=export_job, pack=pack, snapshot=snapshot,
        month=Period.containing(today, "monthly").previous().code,
        action_template=ActionTemplate.objects.create(title="Policy world template"),
        evidence_file=attach_to_alert(actor=officer_a, alert=alert, upload=SimpleUploadedFile("w.jpg", _jpeg())),
        deployment=deployment_save(actor=eosg, deployment=Deployment(
            country=country_a, kind="hra", entity=Entity.objects.get(code="OHCHR"), starts_on=today,
            arrived_on=today, requested_by=action)),
    )


__all__ = ["PERSONAS", "World", "build_world", "Role"]
