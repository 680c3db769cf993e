"""Page weight in the production static configuration, measured in the browser.

The default live server serves static files through Django's development handler (no compression, no
far-future caching), so this test starts a second live server the way production serves: collectstatic
with whitenoise's CompressedManifestStaticFilesStorage into a temporary STATIC_ROOT, and whitenoise
serving the hashed, pre-compressed files with its cache headers. Static transfer sizes are what Chromium
received (Resource Timing transferSize); the HTML is compressed by the app (GZipMiddleware), and its size
on the wire is the navigation's transferSize, reported beside its raw size.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from scans import services
from scans.periods import current_period

from ..factories import file_scan, quarters_before
from .conftest import artifact_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRODUCTION_STATIC = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
FIRST_LOAD_BUDGET = 100 * 1024
REPEAT_LOAD_BUDGET = 20 * 1024
A_YEAR = 365 * 24 * 3600


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=str(root), STORAGES={"staticfiles": PRODUCTION_STATIC}):
        call_command("collectstatic", "--noinput", "--verbosity", "0")
    return root


@pytest.fixture
def production_server(settings, collected_static, live_server):
    settings.STATIC_ROOT = str(collected_static)
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION_STATIC}
    settings.WHITENOISE_USE_FINDERS = False
    server = LiveServer("localhost", start=False)
    # No development static handler in front: whitenoise's middleware serves them, as in production.
    server.thread.static_handler = lambda handler: handler
    # SQLite's in-memory test database is already shared with the default live server's thread; a second
    # share of the same connection object trips Django's thread check, so this server opens its own
    # connections to the (shared-cache) test database instead. PostgreSQL never needs the override.
    server.thread.connections_override = {}
    server.start()
    yield server
    server.stop()


def _load(page, url: str) -> dict:
    """One navigation: HTML (raw and as sent) and what the static files cost on the wire."""
    response = page.goto(url)
    assert response.headers.get("content-encoding") == "gzip", response.headers
    html = response.body()
    sent = page.evaluate("performance.getEntriesByType('navigation')[0].transferSize")
    resources = page.evaluate(
        "performance.getEntriesByType('resource').map(e => ({url: e.name, transfer: e.transferSize}))"
    )
    statics = [r for r in resources if "/static/" in r["url"]]
    return {
        "html_raw": len(html),
        "html_gzip": sent,
        "static": sum(r["transfer"] for r in statics),
        "fetched": [r["url"] for r in statics if r["transfer"] > 0],
    }


def _weigh(visit, signed_in, path: str, label: str, visits: list) -> tuple[dict, dict, dict]:
    """First load with an empty cache (a new context holding only the session cookie), then a repeat load."""
    # Without the offline worker: it only adds a kept copy, and a response it hands over reports its
    # decoded size as the navigation's transfer, not what crossed the network.
    v = visit(f"weight-{label}", base_url=signed_in.base_url, storage_state=signed_in.context.storage_state(),
              service_workers="block")
    visits.append(v)
    headers = {}
    v.page.on("response", lambda r: headers.__setitem__(r.url, r.all_headers()) if "/static/" in r.url else None)
    first = _load(v.page, v.url(path))
    v.check(f"{label} first load")
    repeat = _load(v.page, v.url(path))
    return first, repeat, headers


def _kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def test_it_keeps_the_scan_form_light_and_its_static_files_cacheable(
    visit, reference, production_server, country_a, officer_a, owner, eosg
):
    today = timezone.localdate()
    for period in quarters_before(today, 3):
        file_scan(country_a, officer_a, period, rating=1, today=today)
    scan = services.scan_start(
        country=country_a, period=current_period(country_a, today), actor=officer_a, today=today
    )

    pages, visits = [], []
    v = visit("weight-officer", base_url=production_server.url)
    v.login(officer_a)
    for path, label in [
        (f"/scans/{scan.pk}/edit/", "scan form"), ("/", "home"), (f"/countries/{country_a.iso3}/", "country"),
        ("/alerts/", "alerts"), ("/reviews/", "reviews"), ("/followup/plans/", "plans"),
    ]:
        pages.append((label, *_weigh(visit, v, path, label, visits)))
    o = visit("weight-owner", base_url=production_server.url)
    o.login(owner)
    pages.append(("my actions", *_weigh(visit, o, "/followup/mine/", "my actions", visits)))
    e = visit("weight-eosg", base_url=production_server.url)
    e.login(eosg)
    pages.append(("dashboard", *_weigh(visit, e, "/followup/dashboard/", "dashboard", visits)))

    lines = [f"{'page':<12} {'HTML raw':>9} {'HTML gz':>8} {'static':>8} {'first':>8} {'repeat':>8}  (KB; first/repeat = HTML gz + static on the wire)"]
    for label, first, repeat, _ in pages:
        lines.append(
            f"{label:<12} {_kb(first['html_raw']):>9} {_kb(first['html_gzip']):>8} {_kb(first['static']):>8} "
            f"{_kb(first['html_gzip'] + first['static']):>8} {_kb(repeat['html_gzip'] + repeat['static']):>8}"
        )
    report = "\n".join(lines)
    (artifact_dir() / "page-weights.txt").write_text(report + "\n")
    if os.environ.get("HRUF_PRINT_WEIGHTS"):
        print("\n" + report)

    label, first, repeat, headers = pages[0]
    assert first["html_gzip"] + first["static"] <= FIRST_LOAD_BUDGET, report
    assert not repeat["fetched"], f"repeat load fetched static files again: {repeat['fetched']}"
    assert repeat["html_gzip"] + repeat["static"] <= REPEAT_LOAD_BUDGET, report
    # Hashed names, compressed, cached for a year: that is what makes the repeat load cheap.
    assert headers, "no static file was served"
    for url, h in headers.items():
        assert "max-age=" in h.get("cache-control", "") and int(h["cache-control"].split("max-age=")[1].split(",")[0]) >= A_YEAR, (url, h)
        assert h.get("content-encoding") in ("gzip", "br"), (url, h)
    for page_v in (v, o, e, *visits):
        page_v.assert_clean()
