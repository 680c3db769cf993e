"""The audit trail (hruf/audit.py): every write through a service leaves exactly one event with what
changed, in the same transaction; restricted evidence read is logged; nothing can edit or remove an
event; EOSG and administrators browse it."""

import datetime as dt
import json

import pytest
from django import forms
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from followup import services as followup
from hruf.audit import WITHHELD, Audit, audit_export, audit_record
from hruf.models import AuditEvent, AuditTrailImmutable, Entity, Role, RoleAssignment, User
from reviews import services as reviews
from reviews.models import Decision
from scans import services as scans
from scans.models import Alert, Rating
from scans.periods import Period

from ..factories import CountryFactory, UserFactory, file_scan, grant

pytestmark = pytest.mark.usefixtures("matrix")
Q2, Q3 = Period.parse("2026-Q2"), Period.parse("2026-Q3")
DAY = dt.date(2026, 9, 25)


def _one_event(call):
    """Run `call`; exactly one event must have been written. Returns (event, result)."""
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    result = call()
    events = list(AuditEvent.objects.filter(id__gt=last).order_by("id"))
    assert len(events) == 1, [(e.action, e.object_type, e.detail) for e in events]
    return events[0], result


def _new_events(since: int = 0):
    return list(AuditEvent.objects.filter(id__gt=since).order_by("id"))


def _reads(since: int):
    return [e for e in _new_events(since) if e.action == Audit.READ_RESTRICTED]


def _last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- scans and alerts -----------------------------------------------------------


def test_it_records_a_scan_started_by_whom_and_for_what(country_a, officer_a):
    event, scan = _one_event(lambda: scans.scan_start(country=country_a, period=Q3, actor=officer_a, today=DAY))
    assert (event.action, event.object_type, event.object_id) == (Audit.CREATE, "scans.scan", str(scan.pk))
    assert (event.actor, event.actor_label, event.country) == (officer_a, "officer_a", country_a)
    assert event.object_label == "Country A 2026-Q3"
    assert event.changes == {"country": [None, "Country A"], "period": [None, "2026-Q3"]}


def test_a_draft_save_records_each_rating_before_and_after_and_withholds_restricted_evidence(country_a, officer_a):
    scan = scans.scan_start(country=country_a, period=Q3, actor=officer_a, today=DAY)
    revision = scan.revisions.get()
    first, second, third = list(revision.ratings.select_related("indicator").order_by("indicator__position"))[:3]
    data = {r.pk: scans.RatingData() for r in revision.ratings.all()}
    data[first.pk] = scans.RatingData(rating=2, trend="worsening", evidence="Seen at the market", confidence="high")
    data[second.pk] = scans.RatingData(rating=3, evidence="Named source inside the militia", restricted=True)

    event, _ = _one_event(lambda: scans.scan_save_draft(
        revision=revision, actor=officer_a, lock_version=0, ratings=data, narrative="Tense week"))

    a, b = first.indicator.code, second.indicator.code
    assert event.action == Audit.UPDATE and event.detail == {"step": "draft_saved", "revision": 1}
    assert event.changes["narrative"] == ["", "Tense week"]
    assert event.changes[f"{a}.rating"] == [None, 2]
    assert event.changes[f"{a}.evidence"] == ["", WITHHELD]  # evidence is never copied, even open
    assert event.changes[f"{b}.evidence"] == ["", WITHHELD]
    assert event.changes[f"{b}.restricted"] == [False, True]
    assert not any(k.startswith(f"{third.indicator.code}.") for k in event.changes)  # untouched rows stay out
    assert "Named source" not in json.dumps(event.changes)


def test_a_submission_records_the_status_score_and_tier(country_a, officer_a):
    scan = scans.scan_start(country=country_a, period=Q3, actor=officer_a, today=DAY)
    revision = scan.revisions.get()
    data = {r.pk: scans.RatingData(rating=1, trend="stable", confidence="low") for r in revision.ratings.all()}
    event, _ = _one_event(lambda: scans.scan_submit(
        revision=revision, actor=officer_a, lock_version=0, ratings=data, narrative=""))
    assert event.detail == {"step": "submitted", "revision": 1}
    assert event.changes["status"] == ["draft", "submitted"]
    assert event.changes["score"] == [None, revision.score] and event.changes["tier"] == [None, revision.tier]


def test_an_amendment_opened_is_recorded(country_a, officer_a):
    scan = file_scan(country_a, officer_a, Q3)
    event, revision = _one_event(lambda: scans.scan_amend(scan=scan, actor=officer_a))
    assert (event.action, event.object_id, event.detail) == (
        Audit.UPDATE, str(scan.pk), {"step": "amendment_opened", "revision": revision.number})


def test_an_alert_and_a_case_indicator_are_recorded_with_restricted_evidence_withheld(country_a, officer_a):
    event, alert = _one_event(lambda: scans.alert_raise(
        country=country_a, actor=officer_a, title="Attack", location="North", severity="severe",
        description="Village burned", evidence="Told by the mayor's driver", evidence_restricted=True))
    assert (event.action, event.object_type, event.object_id) == (Audit.CREATE, "scans.alert", str(alert.pk))
    assert event.changes["title"] == [None, "Attack"] and event.changes["evidence"] == [None, WITHHELD]
    assert event.changes["evidence_restricted"] == [None, True]

    event, case = _one_event(lambda: scans.case_indicator_add(country=country_a, actor=officer_a, name="Clashes in X"))
    assert (event.object_type, event.changes) == ("scans.caseindicator", {"name": [None, "Clashes in X"]})


# --- reviews --------------------------------------------------------------------


@pytest.fixture
def rqr(country_a, country_b, officer_a, officer_b, region_a, chair_a):
    file_scan(country_a, officer_a, Q2, rating=1)
    file_scan(country_a, officer_a, Q3, rating=3)
    file_scan(country_b, officer_b, Q3, rating=0)
    return reviews.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=DAY, chair=chair_a)


def test_building_and_running_a_review_records_every_step(region_a, chair_a, country_a, country_b, rqr):
    event, meeting = _one_event(lambda: reviews.rqr_create(actor=chair_a,
        region=CountryFactory().region, quarter=Q3, date=DAY, chair=chair_a))
    assert (event.action, event.object_type, event.actor) == (Audit.CREATE, "reviews.meeting", chair_a)
    assert event.changes["quarter"] == [None, "2026-Q3"] and event.changes["kind"] == [None, "rqr"]

    event, added = _one_event(lambda: reviews.agenda_add(actor=chair_a,
        meeting=rqr, country=country_b, reason="No scan this quarter", lock_version=rqr.lock_version))
    assert (event.action, event.object_type, event.country) == (Audit.CREATE, "reviews.agendaitem", country_b)
    assert event.changes["chair_reason"] == [None, "No scan this quarter"]

    event, _ = _one_event(lambda: reviews.agenda_move(actor=chair_a, item=added, up=True, lock_version=rqr.lock_version))
    assert event.changes == {"position": [2, 1]}

    event, _ = _one_event(lambda: reviews.agenda_remove(actor=chair_a, item=added, reason="Covered", lock_version=rqr.lock_version))
    assert event.changes == {"included": [True, False], "chair_reason": ["No scan this quarter", "Covered"]}

    event, _ = _one_event(lambda: reviews.agenda_publish(meeting=rqr, actor=chair_a, lock_version=rqr.lock_version))
    assert event.changes["state"] == ["preparation", "published"] and event.changes["published_at"][0] is None

    item = rqr.items.get(country=country_a)
    event, _ = _one_event(lambda: reviews.item_record(
        item=item, actor=chair_a, lock_version=item.lock_version, summary="Grave", agreed_tier="",
        agreed_tier_reason="", decision=Decision.ESCALATE, decision_reason="Killings", dissent=""))
    assert (event.object_type, event.object_id, event.actor) == ("reviews.agendaitem", str(item.pk), chair_a)
    assert event.changes == {
        "summary": ["", "Grave"], "decision": ["", "escalate"], "decision_reason": ["", "Killings"]}

    event, _ = _one_event(lambda: reviews.meeting_advance(actor=chair_a, meeting=rqr, lock_version=rqr.lock_version))
    assert event.changes == {"state": ["published", "held"]}


def test_the_sag_steps_and_an_enhanced_reporting_confirmation_are_recorded(rqr, chair_a, eosg, sag, country_a):
    reviews.agenda_publish(meeting=rqr, actor=chair_a, lock_version=rqr.lock_version)
    item = rqr.items.get(country=country_a)
    reviews.item_record(item=item, actor=chair_a, lock_version=item.lock_version, summary="", agreed_tier="",
                        agreed_tier_reason="", decision=Decision.ENHANCED, decision_reason="", dissent="")
    event, _ = _one_event(lambda: reviews.enhanced_reporting_confirm(item=item, actor=eosg))
    starts = reviews.monthly_reporting_start(timezone.localdate()).isoformat()
    assert event.changes == {"enhanced_confirmed_by": [None, eosg.pk], "country.enhanced_reporting": [False, True],
                             "country.monthly_from": [None, starts]}

    alert = Alert.objects.create(country=country_a, title="Attack", location="North", severity="severe",
                                 description="d", raised_by=eosg)
    event, _ = _one_event(lambda: reviews.alert_flag_for_sag(alert=alert, actor=eosg, reason="Imminent"))
    assert (event.object_type, event.changes) == (
        "scans.alert", {"sag_flagged_by": [None, eosg.pk], "sag_flag_reason": ["", "Imminent"]})

    event, meeting = _one_event(lambda: reviews.sag_create(actor=sag, date=DAY, members=[sag]))
    assert (event.action, event.actor, event.actor_label) == (Audit.CREATE, sag, "sag")  # no request: as it was told
    event, taken = _one_event(lambda: reviews.sag_take(actor=sag, meeting=meeting, lock_version=0, source_alert=alert))
    assert (event.action, event.object_id) == (Audit.CREATE, str(taken.pk))
    assert event.changes["source_alert"] == [None, alert.pk]


# --- follow-up ------------------------------------------------------------------


@pytest.fixture
def plan_parts(country_a, officer_a, owner):
    alert = Alert.objects.create(country=country_a, title="Attack", location="North", severity="severe",
                                 description="d", raised_by=officer_a)
    return alert, Entity.objects.get(code="OHCHR")


def test_a_plan_and_its_actions_benchmarks_and_updates_are_recorded(plan_parts, country_a, eosg, owner):
    alert, ohchr = plan_parts
    draft = followup.ActionDraft(
        title="Deploy an adviser", lead_entity=ohchr, owner=owner, deadline=DAY + dt.timedelta(30))
    event, plan = _one_event(lambda: followup.plan_create(
        country=country_a, actor=eosg, title="Plan A", source_alert=alert, actions=[draft], today=DAY))
    assert (event.action, event.object_type, event.country, event.actor) == (
        Audit.CREATE, "followup.plan", country_a, eosg)
    assert event.changes == {"title": [None, "Plan A"], "source_alert": [None, alert.pk]}
    assert [a["title"] for a in event.detail["actions"]] == ["Deploy an adviser"]

    second = followup.ActionDraft(
        title="Brief the Council", lead_entity=ohchr, owner=owner, deadline=DAY + dt.timedelta(40))
    event, action = _one_event(lambda: followup.action_add(plan=plan, actor=eosg, draft=second, today=DAY))
    assert (event.object_type, event.country) == ("followup.action", country_a)
    assert event.changes["owner"] == [None, "owner"] and event.changes["deadline"] == [None, "2026-11-04"]

    event, benchmark = _one_event(lambda: followup.benchmark_add(actor=owner,
        action=action, description="Briefing held", due_date=DAY + dt.timedelta(20), today=DAY))
    assert (event.action, event.object_type) == (Audit.CREATE, "followup.benchmark")
    assert event.changes["description"] == [None, "Briefing held"]

    event, _ = _one_event(lambda: followup.benchmark_meet(benchmark=benchmark, actor=owner, evidence="Minutes"))
    assert event.changes["evidence"] == ["", WITHHELD] and event.changes["met_at"][0] is None

    event, _ = _one_event(lambda: followup.action_update(
        action=action, actor=owner, lock_version=action.lock_version, status="in_progress", text="Drafting"))
    assert (event.actor, event.changes) == (owner, {"status": ["planned", "in_progress"]})
    assert event.detail["text"] == "Drafting"

    other = grant(UserFactory(username="other_owner"), Role.OWNER, entity=ohchr)
    event, _ = _one_event(lambda: followup.action_reassign(
        action=action, actor=eosg, lock_version=action.lock_version, owner=other, deadline=action.deadline, today=DAY))
    assert event.changes == {"owner": ["owner", "other_owner"]}


# --- one transaction ------------------------------------------------------------


def test_an_event_shares_the_transaction_of_its_change(country_a, officer_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        scans.alert_raise(country=country_a, actor=officer_a, title="t", location="l", severity="serious",
                          description="d")
        assert AuditEvent.objects.filter(object_type="scans.alert").count() == 1
        raise RuntimeError("the caller's transaction fails after the service")
    assert not Alert.objects.exists() and not AuditEvent.objects.exists()


def test_a_refused_change_writes_no_event(rqr, country_b, chair_a, country_a, officer_a):
    last = _last_id()
    with pytest.raises(reviews.StaleEdit):
        reviews.agenda_add(actor=chair_a, meeting=rqr, country=country_b, reason="x", lock_version=rqr.lock_version + 5)
    with pytest.raises(reviews.ReviewError):  # the bump is written, then the refusal rolls it back
        reviews.agenda_add(actor=chair_a, meeting=rqr, country=country_a, reason="again", lock_version=rqr.lock_version)
    scan = scans.scan_start(
        country=country_a, period=Period.parse("2026-Q4"), actor=officer_a, today=dt.date(2026, 11, 1))
    revision = scan.revisions.get()
    with pytest.raises(scans.ScanIncomplete):
        scans.scan_submit(revision=revision, actor=officer_a, lock_version=0, narrative="",
                          ratings={r.pk: scans.RatingData() for r in revision.ratings.all()})
    assert [e.detail.get("step") for e in _new_events(last)] == ["started"]


# --- who acted: always an argument, never the request -------------------------


def test_a_service_called_outside_a_request_records_the_actor_it_is_given(sag, eosg, country_a, officer_a):
    # As a management command or a task would: no request anywhere, the actor is what the caller names.
    event, meeting = _one_event(lambda: reviews.sag_create(actor=eosg, date=DAY, members=[sag]))
    assert (event.actor, event.actor_label, event.ip_address) == (eosg, "eosg", None)
    event, _ = _one_event(lambda: scans.case_indicator_add(country=country_a, actor=officer_a, name="Militia"))
    assert (event.actor, event.actor_label) == (officer_a, "officer_a")


def test_a_page_names_the_signed_in_user_as_the_actor(login, sag):
    client = login(sag)
    last = _last_id()
    response = client.post(reverse("reviews:meeting_create"), {"kind": "sag", "date": "2026-10-01"})
    assert response.status_code == 302
    (event,) = [e for e in _new_events(last) if e.object_type == "reviews.meeting"]
    assert (event.actor, event.actor_label) == (sag, "sag")


def test_the_actor_is_a_required_keyword_and_none_is_the_system(officer_a):
    with pytest.raises(TypeError):
        audit_record(action=Audit.UPDATE, obj=officer_a)  # forgetting who acted is a programming error
    event = audit_record(actor=None, action=Audit.UPDATE, obj=officer_a, detail={"step": "sweep"})
    assert (event.actor, event.actor_label) == (None, "")


# --- users and roles in the admin ------------------------------------------------


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True)


def _post_data(response) -> dict:
    """What a browser would send back from an admin change page, unchanged."""
    data = {}
    forms_ = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms_ += [formset.management_form, *formset.forms]
    for form in forms_:
        for bf in form:
            value, widget = bf.value(), bf.field.widget
            if bf.field.disabled:
                continue
            if isinstance(widget, forms.MultiWidget):
                parts = value if isinstance(value, list) else widget.decompress(value)
                data.update({f"{bf.html_name}_{i}": "" if p is None else str(p) for i, p in enumerate(parts)})
            elif isinstance(value, bool) or isinstance(widget, forms.CheckboxInput):
                if value:
                    data[bf.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bf.html_name] = [str(v) for v in value]
            else:
                data[bf.html_name] = "" if value is None else str(value)
    return data


def test_a_user_created_in_the_admin_is_recorded_with_their_role_and_never_their_password(login, admin_user, country_a):
    client = login(admin_user)
    last = _last_id()
    response = client.post(reverse("admin:hruf_user_add"), {
        "username": "newbie", "usable_password": "true", "password1": "A long pass phrase 42",
        "password2": "A long pass phrase 42",
        "roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "0", "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "1000",
        "roles-0-role": Role.OFFICER, "roles-0-country": str(country_a.pk),
    })
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    newbie = User.objects.get(username="newbie")
    user_event, role_event = [e for e in _new_events(last) if e.object_type in ("hruf.user", "hruf.roleassignment")]
    assert (user_event.action, user_event.object_id, user_event.actor) == (Audit.CREATE, str(newbie.pk), admin_user)
    assert user_event.actor_label == "Ada Admin (root)"
    assert user_event.changes["username"] == [None, "newbie"] and user_event.changes["password"] == [None, WITHHELD]
    assert newbie.password not in json.dumps(user_event.changes)
    assert (role_event.action, role_event.country) == (Audit.CREATE, country_a)
    assert role_event.changes["role"] == [None, "officer"]


def test_a_user_changed_in_the_admin_records_the_user_and_each_role_granted_changed_or_removed(
    login, admin_user, officer_a, country_a, country_b
):
    grant(officer_a, Role.SAG)
    # The admin's form keeps whole seconds: a date with microseconds would change on any save, truly.
    User.objects.filter(pk=officer_a.pk).update(date_joined=officer_a.date_joined.replace(microsecond=0))
    sag_role = officer_a.roles.get(role=Role.SAG)
    client = login(admin_user)
    url = reverse("admin:hruf_user_change", args=[officer_a.pk])
    data = _post_data(client.get(url))
    data["first_name"] = "Olu"
    data["roles-0-country"] = str(country_b.pk)  # the officer's country changes
    data["roles-1-DELETE"] = "on"  # the SAG role goes
    data["roles-2-role"] = Role.EOSG  # and EOSG is granted
    last = _last_id()
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    by_kind = {(e.object_type, e.action): e for e in _new_events(last) if e.object_type.startswith("hruf.")}
    assert set(by_kind) == {("hruf.user", "update"), ("hruf.roleassignment", "update"),
                            ("hruf.roleassignment", "delete"), ("hruf.roleassignment", "create")}
    assert by_kind["hruf.user", "update"].changes == {"first_name": ["", "Olu"]}
    assert by_kind["hruf.roleassignment", "update"].changes == {"country": [country_a.pk, country_b.pk]}
    assert by_kind["hruf.roleassignment", "delete"].object_id == str(sag_role.pk)
    assert by_kind["hruf.roleassignment", "delete"].changes["role"] == ["sag", None]
    assert by_kind["hruf.roleassignment", "create"].changes["role"] == [None, "eosg"]
    assert RoleAssignment.objects.filter(user=officer_a).count() == 2


def test_a_password_set_and_a_user_deleted_in_the_admin_are_recorded_and_outlive_the_user(login, admin_user, officer_a):
    audit_record(actor=officer_a, action=Audit.UPDATE, label="written by the officer")
    client = login(admin_user)
    last = _last_id()
    response = client.post(reverse("admin:auth_user_password_change", args=[officer_a.pk]), {
        "usable_password": "true", "password1": "Another long phrase 7", "password2": "Another long phrase 7"})
    assert response.status_code == 302
    (event,) = [e for e in _new_events(last) if e.object_type == "hruf.user"]
    assert (event.actor, event.changes) == (admin_user, {"password": [WITHHELD, WITHHELD]})

    user_id = officer_a.pk
    last = _last_id()
    response = client.post(reverse("admin:hruf_user_delete", args=[user_id]), {"post": "yes"})
    assert response.status_code == 302 and not User.objects.filter(pk=user_id).exists()
    (event,) = [e for e in _new_events(last) if e.object_type == "hruf.user"]
    assert (event.action, event.object_id, event.object_label) == (Audit.DELETE, str(user_id), "officer_a")
    assert event.changes["username"] == ["officer_a", None]
    assert event.detail == {"roles": ["officer_a: Field officer (Country A)"]}
    # What the deleted user did stays on record, under their name.
    kept = AuditEvent.objects.select_related("actor").get(object_label="written by the officer")
    assert (kept.actor_id, kept.actor, kept.actor_label) == (user_id, None, "officer_a")


# --- restricted evidence read ---------------------------------------------------


def test_reading_restricted_evidence_is_recorded_once_per_page_and_only_when_shown(
    login, country_a, officer_a, chair_a, sag
):
    restricted = file_scan(country_a, officer_a, Q2, restricted=True, evidence="Named source")
    plain = file_scan(country_a, officer_a, Q3)
    client = login(chair_a)
    last = _last_id()
    assert client.get(reverse("scans:scan_detail", args=[restricted.pk])).status_code == 200
    (event,) = _new_events(last)
    assert (event.action, event.object_type, event.object_id) == (
        Audit.READ_RESTRICTED, "scans.scan", str(restricted.pk))
    assert (event.actor, event.country, event.detail) == (chair_a, country_a, {"revision": 1, "ratings": 10})

    last = _last_id()
    assert client.get(reverse("scans:scan_detail", args=[plain.pk])).status_code == 200
    page = login(sag).get(reverse("scans:scan_detail", args=[restricted.pk]))
    assert "Restricted evidence withheld" in page.content.decode()
    # Nothing restricted on the page, or nothing restricted shown: nothing read.
    assert _reads(last) == []


def test_the_scan_form_and_an_alert_record_the_restricted_evidence_they_show(login, country_a, officer_a, chair_a, sag):
    scan = scans.scan_start(country=country_a, period=Q3, actor=officer_a, today=DAY)
    Rating.objects.filter(revision__scan=scan).update(evidence="From a named source", restricted=True)
    client = login(officer_a)
    last = _last_id()
    assert client.get(reverse("scans:scan_edit", args=[scan.pk])).status_code == 200
    (event,) = _new_events(last)
    assert (event.action, event.detail["page"], event.actor) == (Audit.READ_RESTRICTED, "form", officer_a)

    alert = scans.alert_raise(country=country_a, actor=officer_a, title="t", location="l", severity="serious",
                              description="d", evidence="Driver of the governor", evidence_restricted=True)
    open_alert = scans.alert_raise(country=country_a, actor=officer_a, title="t", location="l", severity="serious",
                                   description="d", evidence="Public report", evidence_restricted=False)
    last = _last_id()
    assert login(chair_a).get(reverse("scans:alert_detail", args=[alert.pk])).status_code == 200
    assert login(sag).get(reverse("scans:alert_detail", args=[alert.pk])).status_code == 200
    assert login(chair_a).get(reverse("scans:alert_detail", args=[open_alert.pk])).status_code == 200
    (event,) = _reads(last)  # the chair's; SAG members see it withheld, and the open alert restricts nothing
    assert (event.object_type, event.object_id, event.actor) == ("scans.alert", str(alert.pk), chair_a)


def test_an_export_is_recorded_with_its_filters(officer_a, country_a):
    event, _ = _one_event(lambda: audit_export(
        actor=officer_a, kind="scans", fmt="xlsx", filters=QueryDict("country=Z01&tier=high&tier=very_high"),
        include_restricted=True, rows=12, country=country_a))
    assert (event.action, event.object_label, event.country) == (Audit.EXPORT, "scans", country_a)
    assert event.detail == {"kind": "scans", "format": "xlsx", "include_restricted": True, "rows": 12,
                            "filters": {"country": "Z01", "tier": ["high", "very_high"]}}


# --- append-only ----------------------------------------------------------------


def test_an_event_cannot_be_changed_or_deleted_through_the_model(officer_a):
    event = audit_record(actor=officer_a, action=Audit.UPDATE, label="x")
    event.object_label = "rewritten"
    with pytest.raises(AuditTrailImmutable):
        event.save()
    with pytest.raises(AuditTrailImmutable):
        event.save(update_fields=["object_label"])
    with pytest.raises(AuditTrailImmutable):
        event.delete()
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(object_label="rewritten")
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.bulk_update([event], ["object_label"])
    # A new row carrying an old row's id is an insert that fails, never an overwrite.
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent(pk=event.pk, action=Audit.DELETE, object_label="forged").save()
    assert AuditEvent.objects.get(pk=event.pk).object_label == "x"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_database_refuses_to_change_or_delete_an_event(officer_a):
    event = audit_record(actor=officer_a, action=Audit.UPDATE, label="x")
    for sql in ["UPDATE hruf_auditevent SET object_label = 'forged' WHERE id = %s",
                "DELETE FROM hruf_auditevent WHERE id = %s"]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).object_label == "x"


def test_the_admin_shows_events_but_offers_no_way_to_add_change_or_delete_them(login, admin_user, officer_a):
    event = audit_record(actor=officer_a, action=Audit.UPDATE, label="x")
    client = login(admin_user)
    changelist = reverse("admin:hruf_auditevent_changelist")
    change = reverse("admin:hruf_auditevent_change", args=[event.pk])
    assert client.get(changelist).status_code == 200 and client.get(change).status_code == 200
    assert client.get(reverse("admin:hruf_auditevent_add")).status_code == 403
    assert client.post(change, {"object_label": "y"}).status_code == 403
    assert client.post(reverse("admin:hruf_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert AuditEvent.objects.get(pk=event.pk).object_label == "x"


# --- browsing -------------------------------------------------------------------


@pytest.fixture
def staff_admin(db):
    return grant(UserFactory(username="staff_admin", is_staff=True), Role.ADMIN)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("eosg", 200), ("admin_user", 200), ("staff_admin", 200),
     ("officer_a", 403), ("chair_a", 403), ("sag", 403), ("owner", 403), ("outsider", 403)],
)
def test_only_eosg_and_administrators_browse_the_trail(request, login, persona, status):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("audit_list")).status_code == status
    nav = client.get(reverse("scans:country_list")).content.decode()
    assert (reverse("audit_list") in nav) == (status == 200)


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("audit_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_filters_narrow_the_trail(login, eosg, officer_a, chair_a, country_a, country_b, time_machine):
    time_machine.move_to(dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC), tick=False)
    audit_record(actor=officer_a, action=Audit.CREATE, label="early scan", country=country_a)
    time_machine.move_to(dt.datetime(2026, 9, 10, 12, tzinfo=dt.UTC), tick=False)
    audit_record(actor=chair_a, action=Audit.READ_RESTRICTED, label="chair read", country=country_b)
    audit_record(actor=None, action=Audit.UPDATE, label="system sweep")
    AuditEvent.objects.create(action=Audit.UPDATE, object_type="followup.plan", object_id="7", object_label="plan 7")
    client = login(eosg)

    def shown(**params):
        labels = [e.object_label for e in client.get(reverse("audit_list"), params).context["page"]]
        return [label for label in labels if label in {"early scan", "chair read", "system sweep", "plan 7"}]

    assert shown() == ["plan 7", "system sweep", "chair read", "early scan"]
    assert shown(actor="chair") == ["chair read"]
    assert shown(action="read_restricted") == ["chair read"]
    assert shown(country=country_a.pk) == ["early scan"]
    assert shown(object_type="followup.plan", object_id="7") == ["plan 7"]
    assert shown(since="2026-09-02") == ["plan 7", "system sweep", "chair read"]
    assert shown(until="2026-09-01") == ["early scan"]
    response = client.get(reverse("audit_list"), {"since": "2026-09-10", "until": "2026-09-01"})
    assert response.status_code == 400 and not response.context["page"].object_list


def test_each_change_is_shown_before_and_after(login, eosg, officer_a):
    audit_record(actor=officer_a, action=Audit.UPDATE, label="scan x",
                 changes={"narrative": ["calm", "tense"], "hate-speech.rating": [1, 3]})
    page = login(eosg).get(reverse("audit_list")).content.decode()
    assert "<th scope=\"row\" class=\"fw-normal\">narrative</th><td>calm</td><td>tense</td>" in page
    assert "<th scope=\"row\" class=\"fw-normal\">hate-speech.rating</th><td>1</td><td>3</td>" in page


def test_the_trail_page_costs_the_same_queries_with_more_events(login, eosg, officer_a, country_a):
    def many(n):
        for i in range(n):
            audit_record(actor=officer_a, action=Audit.UPDATE, label=f"e{i}", country=country_a,
                         changes={"narrative": ["a", "b"]}, detail={"step": "draft_saved"})

    client = login(eosg)

    def count(**params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("audit_list"), params).status_code == 200
        return len(ctx.captured_queries)

    many(3)
    small = [count(), count(country=country_a.pk, action="update")]
    many(120)  # more than two pages
    assert [count(), count(country=country_a.pk, action="update"), count(page=2)] == [*small, small[0]]
    assert small == AUDIT_PAGE_QUERIES


# Measured, then fixed: session, user, roles, count, page, unread count, the countries of the filter
# (and the chosen country when filtering by one).
AUDIT_PAGE_QUERIES = [8, 9]  # with the warning badge


def test_a_restricted_actions_title_and_progress_never_reach_the_trail(plan_parts, country_a, eosg, owner):
    """Administrators read the trail but may not read restricted actions or any evidence."""
    alert, ohchr = plan_parts
    draft = followup.ActionDraft(title="Protect the witness in Gao", lead_entity=ohchr, owner=owner,
                                 deadline=DAY + dt.timedelta(30), restricted=True)
    event, plan = _one_event(lambda: followup.plan_create(
        country=country_a, actor=eosg, title="Plan A", source_alert=alert, actions=[draft], today=DAY))
    assert [a["title"] for a in event.detail["actions"]] == [WITHHELD]
    action = plan.actions.get()
    event, _ = _one_event(lambda: followup.action_update(
        action=action, actor=owner, lock_version=action.lock_version, status="in_progress",
        text="Moved him to Bamako", evidence="Safe-house address"))
    assert event.detail["text"] == WITHHELD and event.detail["evidence"] == WITHHELD
    assert "Gao" not in str(event.changes) and "Bamako" not in str(event.detail)


def test_a_restricted_action_is_named_in_the_trail_by_type_and_id_not_by_its_title(plan_parts, country_a, eosg, owner):
    """The label of an event is read on the audit page by administrators, like its changes."""
    alert, ohchr = plan_parts
    first = followup.ActionDraft(title="Deploy monitors", lead_entity=ohchr, owner=owner, deadline=DAY + dt.timedelta(30))
    plan = followup.plan_create(
        country=country_a, actor=eosg, title="Plan A", source_alert=alert, actions=[first], today=DAY)
    hidden = followup.action_add(plan=plan, actor=eosg, today=DAY, draft=followup.ActionDraft(
        title="Protect the witness in Gao", lead_entity=ohchr, owner=owner, deadline=DAY + dt.timedelta(30),
        restricted=True))
    shown = followup.action_add(plan=plan, actor=eosg, today=DAY, draft=followup.ActionDraft(
        title="Brief the Council", lead_entity=ohchr, owner=owner, deadline=DAY + dt.timedelta(30)))
    labels = dict(AuditEvent.objects.filter(object_type="followup.action").values_list("object_id", "object_label"))
    assert labels == {str(hidden.pk): WITHHELD, str(shown.pk): "Brief the Council"}


def test_an_email_preference_changed_is_recorded(login, owner):
    last = _last_id()
    response = login(owner).post(reverse("preferences"), {"email_mode": User.EmailMode.DIGEST})
    assert response.status_code == 302
    [event] = [e for e in _new_events(last) if e.action == Audit.UPDATE]
    assert (event.actor, event.object_type, event.object_id) == (owner, "hruf.user", str(owner.pk))
    assert event.changes == {"email_mode": ["immediate", "digest"]}
    last = _last_id()
    login(owner).post(reverse("preferences"), {"email_mode": User.EmailMode.DIGEST})  # the same choice again
    assert [e for e in _new_events(last) if e.action == Audit.UPDATE] == []


def test_an_account_unlocked_in_the_admin_is_recorded_and_the_lock_out_logs_stay(login, admin_user, officer_a):
    from axes.models import AccessAttempt, AccessLog

    attempt = AccessAttempt.objects.create(username=officer_a.username, ip_address="10.0.0.7", user_agent="x",
                                           failures_since_start=5, get_data="", post_data="")
    log = AccessLog.objects.create(username=officer_a.username, ip_address="10.0.0.7", user_agent="x")
    client = login(admin_user)
    last = _last_id()
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    [event] = [e for e in _new_events(last) if e.object_type == "axes.accessattempt"]
    assert (event.action, event.actor, event.changes["username"]) == (Audit.DELETE, admin_user, [officer_a.username, None])
    assert client.post(reverse("admin:axes_accesslog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=log.pk).exists()
