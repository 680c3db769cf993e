"""Personas (STYLE.md point 10) and the reference data every scan needs."""

import pytest
from django.apps import apps
from django.core.cache import cache, caches
from django.test import Client
from django.utils import translation

from hruf import celery_app
from hruf.models import Entity, Role
from scans.reference import load_matrix

from .factories import CountryFactory, RegionFactory, UserFactory, grant

# Fixtures shared by the evidence files' tests of the pages, the API and the exports.
pytest_plugins = ["tests.evidence_fixtures"]


@pytest.fixture(autouse=True)
def _plain_static_and_eager_tasks(settings):
    # Tests render {% static %} without running collectstatic first.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # Hashing passwords the real way costs half a second per persona.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    celery_app.conf.task_always_eager = True
    # API throttling counts in the cache; each test starts with none.
    cache.clear()
    # Pages measured as the first request after a change reads them (tests/hruf/test_floor_cache.py turns it on).
    # Fragments and kept figures likewise (tests/reviews/test_fragment_cache.py, tests/hruf/test_figures_cache.py).
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    settings.CACHES = {**settings.CACHES, "floor": dummy, "fragments": dummy, "figures": dummy}
    yield
    celery_app.conf.task_always_eager = False
    # LocaleMiddleware leaves the test thread in the last request's language.
    translation.deactivate()


@pytest.fixture
def matrix(db):
    load_matrix(apps)


@pytest.fixture
def region_a(db):
    return RegionFactory(name="Region A")


@pytest.fixture
def region_b(db):
    return RegionFactory(name="Region B")


@pytest.fixture
def country_a(region_a):
    return CountryFactory(name="Country A", region=region_a)


@pytest.fixture
def country_b(region_a):
    """Same region as A, different officers."""
    return CountryFactory(name="Country B", region=region_a)


@pytest.fixture
def country_c(region_b):
    return CountryFactory(name="Country C", region=region_b)


@pytest.fixture
def officer_a(country_a):
    return grant(UserFactory(username="officer_a"), Role.OFFICER, country=country_a)


@pytest.fixture
def officer_b(country_b):
    return grant(UserFactory(username="officer_b"), Role.OFFICER, country=country_b)


@pytest.fixture
def chair_a(region_a):
    return grant(UserFactory(username="chair_a"), Role.CHAIR, region=region_a)


@pytest.fixture
def chair_b(region_b):
    return grant(UserFactory(username="chair_b"), Role.CHAIR, region=region_b)


@pytest.fixture
def sag(db):
    return grant(UserFactory(username="sag"), Role.SAG)


@pytest.fixture
def eosg(db):
    return grant(UserFactory(username="eosg"), Role.EOSG)


@pytest.fixture
def owner(db):
    entity, _ = Entity.objects.get_or_create(code="OHCHR", defaults={"name": "OHCHR"})
    return grant(UserFactory(username="owner"), Role.OWNER, entity=entity)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


def pass_second_factor(client, user):
    """What typing a code does (django_otp.login): the session is vouched for by a real, confirmed device.

    force_login stops after the password, like a person who has not typed their code; EOSG staff and
    administrators (and anyone with a device) are then held at the two-factor step (hruf/otp).
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hruf.otp.state import need_of

    if not need_of(user):
        return client
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return pass_second_factor(client, user)

    return _login


def signed_in(user, *, csrf_checks: bool = False) -> Client:
    """A client of its own, signed in as `user` (a second session of the same person, if need be), checking
    CSRF tokens as a browser's requests are checked when `csrf_checks`."""
    client = Client(enforce_csrf_checks=csrf_checks)
    client.force_login(user)
    return pass_second_factor(client, user)


@pytest.fixture
def kept_pages(settings):
    """Kept pages and figures as production keeps them (hruf/figures_cache.py); the other tests draw every page."""
    settings.CACHES = {**settings.CACHES, "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                      "LOCATION": "kept-pages-tests"}}
    caches["figures"].clear()
