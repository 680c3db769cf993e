"""No restricted text reaches the audit trail, whatever writes to it. One walk through every service that
records an event, with the same source's name typed into every restricted text (rating and alert
evidence, file names, a restricted action's title, description, log, benchmarks, deadline reasons,
cancel and reopen reasons), then the trail read whole: labels, changes and details."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup import services as followup
from followup.models import ActionStatus
from hruf.admin_audit import AuditedAdmin
from hruf.models import AuditEvent, Entity, Role, User
from hruf.notifications import email_mode_set
from scans import services as scans
from scans.evidence import attach_to_alert
from scans.periods import Period
from scans.retention import sweep_restricted_evidence

from ..evidence_fixtures import pdf_upload
from ..factories import UserFactory, file_scan, grant

pytestmark = pytest.mark.usefixtures("matrix", "evidence_store")

SECRET = "Zainab-who-counted-the-trucks"
DAY = dt.date(2026, 9, 25)

# Every model type the app's own services record events about (the admin's are read from its registry).
SERVICE_AUDITED = {
    "scans.scan", "scans.alert", "scans.evidencefile", "scans.caseindicator", "scans.rating",
    "followup.plan", "followup.action", "followup.benchmark", "hruf.user",
}


def _restricted_scan_and_alert(country, officer):
    scan = file_scan(country, officer, Period.parse("2026-Q2"), rating=3, restricted=True, evidence=SECRET)
    revision = scans.scan_amend(scan=scan, actor=officer)
    data = {r.pk: scans.RatingData(rating=2, trend="up", evidence=f"{SECRET}, again", confidence="high",
                                   restricted=True) for r in revision.ratings.all()}
    scans.scan_save_draft(revision=revision, actor=officer, lock_version=revision.lock_version, ratings=data,
                          narrative="Amended", amendment_reason="Corrected")
    alert = scans.alert_raise(country=country, actor=officer, title="Trucks at the border", location="North",
                              severity="severe", description="Seen at night", evidence=SECRET)
    body = pdf_upload().read()
    attach_to_alert(actor=officer, alert=alert, upload=SimpleUploadedFile(f"{SECRET}.pdf", body, "application/pdf"))
    scans.case_indicator_add(country=country, actor=officer, name="Checkpoints", question="How many?")
    return scan, alert


def _restricted_action_through_its_life(country, alert, eosg, owner, ohchr):
    draft = followup.ActionDraft(title=SECRET, description=f"Protect {SECRET}", lead_entity=ohchr, owner=owner,
                                 deadline=DAY + dt.timedelta(30), restricted=True)
    plan = followup.plan_create(country=country, actor=eosg, title="Plan", source_alert=alert, actions=[draft],
                                today=DAY)
    action = followup.action_add(plan=plan, actor=eosg, today=DAY, draft=followup.ActionDraft(
        title=f"{SECRET} (2)", lead_entity=ohchr, owner=owner, deadline=DAY + dt.timedelta(40), restricted=True))
    benchmark = followup.benchmark_add(action=action, actor=owner, description=f"{SECRET} is safe",
                                       due_date=DAY + dt.timedelta(20), today=DAY)
    followup.benchmark_meet(benchmark=benchmark, actor=owner, evidence=f"{SECRET} called")
    action = followup.action_update(action=action, actor=owner, lock_version=action.lock_version,
                                    status=ActionStatus.IN_PROGRESS, text=f"Met {SECRET}")
    action = followup.action_extend(action=action, actor=eosg, new_deadline=DAY + dt.timedelta(60),
                                    reason=f"{SECRET} moved", lock_version=action.lock_version, today=DAY)
    action = followup.action_update(action=action, actor=owner, lock_version=action.lock_version,
                                    status=ActionStatus.CANCELLED, cancel_reason=f"{SECRET} left the country")
    action = followup.action_reopen(action=action, actor=eosg, lock_version=action.lock_version,
                                    reason=f"{SECRET} came back")
    other = grant(UserFactory(username="other_owner"), Role.OWNER, entity=ohchr)
    followup.action_reassign(action=action, actor=eosg, lock_version=action.lock_version, owner=other,
                             deadline=action.deadline, today=DAY)


def test_no_restricted_text_reaches_the_trail_of_any_audited_type(
    country_a, officer_a, chair_a, eosg, owner, login, settings, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2026, 9, 25, 9, 0))
    ohchr = Entity.objects.get(code="OHCHR")
    scan, alert = _restricted_scan_and_alert(country_a, officer_a)
    _restricted_action_through_its_life(country_a, alert, eosg, owner, ohchr)
    for reader in (officer_a, chair_a, eosg):  # pages that show restricted evidence record their reading
        assert login(reader).get(reverse("scans:scan_detail", args=[scan.pk])).status_code == 200
    email_mode_set(actor=owner, mode=User.EmailMode.DIGEST)
    settings.RESTRICTED_EVIDENCE_MONTHS = 1
    time_machine.move_to(dt.datetime(2027, 1, 5, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_restricted_evidence().done > 0

    events = list(AuditEvent.objects.all())
    leaks = [(e.action, e.object_type, e.object_id) for e in events
             if SECRET in json.dumps([e.actor_label, e.object_label, e.changes, e.detail], ensure_ascii=False)]
    assert leaks == []
    assert SERVICE_AUDITED <= {e.object_type for e in events}  # the walk went through every type


def test_every_model_the_admin_can_write_is_audited_there(rf, admin_user):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = admin_user
    writable = [m._meta.label_lower for m, a in admin.site._registry.items()
                if a.has_add_permission(request) or a.has_change_permission(request) or a.has_delete_permission(request)]
    unaudited = [label for label in writable if not isinstance(admin.site._registry[_model(label)], AuditedAdmin)]
    assert writable and unaudited == []


def _model(label):
    from django.apps import apps

    return apps.get_model(label)
