"""Every operation of the app's own OpenAPI schema, fuzzed by schemathesis, answers without a
server error, with a documented status and content type, and a body that matches its schema.

The schema is read from /api/schema/ through the WSGI application, so endpoints added later are
fuzzed too. Requests run in-process against the test database, signed in (session cookie and
CSRF token) as EOSG staff and as a field officer, on a small world where path ids often point at
real objects the persona may or may not see.
"""

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hruf.models import Entity, Role
from hruf.notifications import notify
from scans import services as scans
from scans.periods import Period, current_period

from ..conftest import pass_second_factor
from ..factories import CountryFactory, RegionFactory, UserFactory, file_scan, grant

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/", APP)

# Keys of real objects that path parameters are mapped onto (read once per module from `fuzz_world`).
_KNOWN: dict[tuple[str, str], list] = {}


@schema.hook
def map_path_parameters(context, path_parameters):
    """About half the generated path values are swapped for keys of real objects of the same kind,
    so the fuzzer gets past the 404 into the endpoints' validation and services."""
    mapped = dict(path_parameters or {})
    for name, value in mapped.items():
        draw = value if isinstance(value, int) else len(value) if isinstance(value, str) else 1
        known = _known_keys(context.operation.path, name)
        if known and draw % 2 == 0:
            mapped[name] = known[draw // 2 % len(known)]
    return mapped


def _known_keys(path: str, name: str) -> list:
    """Keys of the model behind a path parameter, found through the URL's view (in any app)."""
    if (path, name) not in _KNOWN:
        try:
            view = resolve(path.split("{" + name + "}")[0] + "1/").func.cls
        except (Resolver404, AttributeError):
            view = None
        queryset = getattr(view, "queryset", None)
        field = getattr(view, "lookup_field", "pk")
        _KNOWN[(path, name)] = [] if queryset is None else list(
            queryset.model._default_manager.values_list(field, flat=True)[:50]
        )
    return _KNOWN[(path, name)]


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """A little of everything, in country A, built once for all the operations and personas: a
    submitted scan with restricted evidence and this period's draft, an alert, notifications, a
    published and recorded RQR, a SAG meeting, and a plan with an action and a benchmark.

    It lives in a transaction rolled back when the module ends; each test's own transaction (the
    `db` fixture) nests inside it as a savepoint, so what the fuzzer writes is undone after each test.
    """
    # The fuzzer calls the WSGI app directly, so Django's request signals close "old" connections:
    # past CONN_MAX_AGE (PostgreSQL in CI) that would close this test's connection mid-transaction.
    # Django's own test client disconnects the same handler.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            people = _build_world()
            _KNOWN.clear()
            yield people
            _KNOWN.clear()
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _build_world() -> dict:
    from followup import services as followup
    from reviews import services as reviews
    from reviews.models import Decision

    today = timezone.localdate()
    region, elsewhere = RegionFactory(), RegionFactory()
    country, neighbour = CountryFactory(region=region), CountryFactory(region=region)
    CountryFactory(region=elsewhere)
    ohchr, _ = Entity.objects.get_or_create(code="OHCHR", defaults={"name": "OHCHR"})
    # An unusable password: these people only ever sign in through force_login.
    people = {
        "officer_a": grant(UserFactory(password="!"), Role.OFFICER, country=country),
        "officer_b": grant(UserFactory(password="!"), Role.OFFICER, country=neighbour),
        "chair_a": grant(UserFactory(password="!"), Role.CHAIR, region=region),
        "sag": grant(UserFactory(password="!"), Role.SAG),
        "eosg": grant(UserFactory(password="!"), Role.EOSG),
        "owner": grant(UserFactory(password="!"), Role.OWNER, entity=ohchr),
    }
    period = current_period(country, today)
    file_scan(country, people["officer_a"], period.previous(), rating=3, restricted=True, today=today)
    scans.scan_start(country=country, period=period, actor=people["officer_a"], today=today)
    file_scan(neighbour, people["officer_b"], period.previous(), rating=1, today=today)
    scans.alert_raise(country=country, actor=people["officer_a"], title="Militia", location="North",
                      severity="severe", description="Seen.", evidence="Witness names")
    notify(recipients=[people["officer_a"], people["eosg"]], code="legacy", params={"subject": "Hello", "body": ""})
    rqr = reviews.rqr_create(actor=people["chair_a"], region=region, quarter=Period.containing(today, "quarterly"), date=today,
                             chair=people["chair_a"])
    item = rqr.items.filter(country=country).first() or reviews.agenda_add(actor=people["chair_a"],
        meeting=rqr, country=country, reason="Fuzz", lock_version=rqr.lock_version)
    rqr.refresh_from_db()
    reviews.agenda_publish(meeting=rqr, actor=people["chair_a"], lock_version=rqr.lock_version)
    item.refresh_from_db()
    item = reviews.item_record(item=item, actor=people["chair_a"], lock_version=item.lock_version,
                               summary="Discussed.", agreed_tier="", agreed_tier_reason="", decision=Decision.PLAN,
                               decision_reason="", dissent="")
    reviews.sag_create(actor=people["sag"], date=today, members=[people["sag"]])
    plan = followup.plan_create(
        country=country, actor=people["eosg"], title="Protect witnesses", source_item=item, today=today,
        actions=[followup.ActionDraft(title="Deploy monitors", lead_entity=ohchr, owner=people["owner"],
                                      deadline=today + dt.timedelta(days=30))],
    )
    followup.benchmark_add(actor=people["owner"], action=plan.actions.get(), description="Monitors on site",
                           due_date=today + dt.timedelta(days=10))
    return people


@pytest.fixture
def signed_in(db, fuzz_world, persona) -> dict[str, str]:
    """A real session (second factor passed where owed) and a CSRF token, as a browser sends them."""
    user = fuzz_world[persona]
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": get_random_string(32)}


@pytest.mark.parametrize("persona", ["eosg", "officer_a"])
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_it_answers_every_operation_without_a_server_error(signed_in, case):
    # The schema's security schemes make schemathesis invent a token and a session cookie; they
    # are replaced by the persona's real session, so every call reaches the endpoint signed in.
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    # Uncompressed answers: the in-process client does not undo the site's gzip.
    case.headers = {**headers, "X-CSRFToken": signed_in["csrftoken"], "Accept-Encoding": "identity"}
    case.cookies = signed_in
    response = case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
    assert response.status_code != 401, "the fuzzer's calls must be signed in"
