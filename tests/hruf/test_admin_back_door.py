"""No back door through the admin (issue 15, items 1 and 3): no page that makes or shows someone else's
credentials, every admin write audited (a country moved to another region above all), and no restricted
text of an action copied into the trail."""

import datetime as dt

import pytest
from django.urls import reverse

from followup import services
from followup.models import Action
from hruf.models import AuditEvent, Entity, Role
from scans.models import Alert

from ..factories import UserFactory, grant


@pytest.fixture
def administrator(db):
    return grant(UserFactory(username="admin", is_staff=True, is_superuser=True), Role.ADMIN)


@pytest.mark.parametrize(
    "path",
    ["/admin/authtoken/tokenproxy/", "/admin/authtoken/tokenproxy/add/", "/admin/otp_totp/totpdevice/",
     "/admin/otp_static/staticdevice/", "/admin/auth/group/"],
)
def test_no_admin_page_makes_or_shows_credentials(login, administrator, path):
    assert login(administrator).get(path).status_code == 404


def test_a_country_moved_to_another_region_is_audited(login, administrator, country_a, region_a, region_b):
    client = login(administrator)
    url = reverse("admin:hruf_country_change", args=[country_a.pk])
    form = {"name": country_a.name, "iso3": country_a.iso3, "iso2": country_a.iso2, "region": region_b.pk,
            "monthly_from": "", "_save": "Save"}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(object_type="hruf.country", object_id=str(country_a.pk))
    assert event.action == "update" and event.actor == administrator
    assert event.changes["region"] == [region_a.pk, region_b.pk]


def test_the_list_page_s_editable_columns_are_audited_too(login, administrator, country_a, region_b):
    client = login(administrator)
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": country_a.pk,
            "form-0-region": region_b.pk, "form-0-enhanced_reporting": "on", "_save": "Save"}
    response = client.post(reverse("admin:hruf_country_changelist"), data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="hruf.country")
    assert set(event.changes) == {"region", "enhanced_reporting"}


def test_reference_data_deleted_in_the_admin_is_audited(login, administrator):
    entity = Entity.objects.create(code="WFP", name="World Food Programme")
    response = login(administrator).post(reverse("admin:hruf_entity_delete", args=[entity.pk]), {"post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="hruf.entity")
    assert event.action == "delete" and event.changes["code"] == ["WFP", None]


def test_a_restricted_action_s_texts_never_reach_the_trail(country_a, officer_a, eosg, owner):
    alert = Alert.objects.create(country=country_a, title="t", location="l", severity="serious", description="d",
                                 raised_by=officer_a)
    secret = "Protect witness Amina in Gao"
    plan = services.plan_create(
        country=country_a, actor=eosg, title="Plan", source_alert=alert,
        actions=[services.ActionDraft(title=secret, lead_entity=owner.roles.get().entity, owner=owner,
                                      deadline=dt.date.today() + dt.timedelta(days=30), restricted=True)],
    )
    action = plan.actions.get()
    benchmark = services.benchmark_add(action=action, actor=eosg, description=f"{secret}: moved",
                                       due_date=dt.date.today() + dt.timedelta(days=5))
    services.benchmark_meet(benchmark=benchmark, actor=owner, evidence=f"{secret} is safe")
    action = Action.objects.get(pk=action.pk)
    services.action_update(action=action, actor=owner, lock_version=action.lock_version, status="cancelled",
                           cancel_reason=f"{secret} left the country last week.")
    trail = AuditEvent.objects.filter(object_type__in=["followup.action", "followup.benchmark", "followup.plan"])
    assert trail.count() >= 4
    for event in trail:
        written = f"{event.object_label} {event.changes} {event.detail}"
        assert "Amina" not in written, (event.object_type, event.action, written)
