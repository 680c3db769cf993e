import datetime as dt

import pytest

from followup import services
from hruf.models import Entity, Role
from scans.models import Alert

from ..factories import UserFactory, grant


@pytest.fixture
def ohchr(db):
    entity, _ = Entity.objects.get_or_create(code="OHCHR", defaults={"name": "OHCHR"})
    return entity


@pytest.fixture
def undp(db):
    entity, _ = Entity.objects.get_or_create(code="UNDP", defaults={"name": "UNDP"})
    return entity


@pytest.fixture
def undp_owner(undp):
    return grant(UserFactory(username="undp_owner"), Role.OWNER, entity=undp)


@pytest.fixture
def alert_a(country_a, officer_a):
    return Alert.objects.create(
        country=country_a, title="Attack", location="North", severity="severe", description="d", raised_by=officer_a
    )


@pytest.fixture
def make_plan(country_a, alert_a, eosg, owner, ohchr):
    """A plan with one OHCHR action owned by `owner`, due on `deadline`."""

    def _make(deadline: dt.date, today: dt.date, **draft):
        fields = {"title": "Deploy a human rights adviser", "lead_entity": ohchr, "owner": owner, "deadline": deadline}
        fields.update(draft)
        plan = services.plan_create(
            country=country_a, actor=eosg, title="Plan", source_alert=alert_a,
            actions=[services.ActionDraft(**fields)], today=today,
        )
        return plan.actions.get()

    return _make
