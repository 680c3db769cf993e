"""PostgreSQL restarted under a running gunicorn: a clear 503 page (and /health/ 503) while it is
down, and the same gunicorn serves again once it is back, without being restarted."""

import pytest

from .conftest import missing, needs_postgres
from .services import PrivatePostgres, current_database_url, postgres_unavailable_reason
from .web import Browser, signed_in_session

pytestmark = [pytest.mark.faults, needs_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def private_postgres():
    reason = postgres_unavailable_reason()
    if reason:
        missing(reason)
    cluster = PrivatePostgres()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


def test_pages_answer_503_while_postgresql_is_down_and_recover_without_a_restart(
    launch, private_postgres, officer_a, country_a
):
    session = signed_in_session(officer_a)  # copied with the database
    private_postgres.copy_database(current_database_url(), "hruf_fault")
    # Kept connections (DB_CONN_MAX_AGE) are what breaks on a restart; health checks must catch them.
    web = launch.gunicorn(launch.env(DATABASE_URL=private_postgres.url("hruf_fault"), DB_CONN_MAX_AGE="600"))
    officer = Browser(web.base, session=session)
    for _ in range(4):  # both gunicorn workers hold a connection
        page = officer.get("/")
        assert page.status == 200 and country_a.name in page.text
    assert officer.get("/health/").status == 200

    private_postgres.stop()
    for path in ("/", f"/countries/{country_a.iso3}/", "/followup/mine/"):
        page = officer.get(path)
        assert page.status == 503, (path, page.status, page.text[:300])
        assert "HRuF is temporarily unavailable" in page.text
        assert page.headers["retry-after"] == "30" and "no-store" in page.headers["cache-control"]
        assert "Traceback" not in page.text
    balancer = Browser(web.base)  # a load balancer's probe carries no session
    health = balancer.get("/health/")
    assert health.status == 503 and '"database": false' in health.text
    api = officer.get("/api/v1/countries/")
    assert api.status == 503 and api.headers["content-type"] == "application/json"

    private_postgres.start()
    for _ in range(4):
        page = officer.get("/")
        assert page.status == 200 and country_a.name in page.text
    assert balancer.get("/health/").status == 200
    assert web.alive()
