"""The API documentation pages (Swagger UI and Redoc) run under the Content Security Policy.

Both are third-party interfaces, so axe is not run on them here; what is checked is that the policy
blocks nothing they need (no inline script or style slipped back in, Redoc's styles carry the nonce)
and that nothing is fetched from elsewhere. The one thing blocked is on purpose: Redoc's side menu
always shows its maker's logo from cdn.redoc.ly, and img-src keeps that request from leaving.
"""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_it_shows_swagger_and_redoc_under_the_policy(visit, reference, eosg):
    v = visit("eosg")
    page = v.login(eosg)
    refused = []
    page.on("requestfailed", lambda r: refused.append((r.url, r.failure)))

    page.goto(v.url("/api/docs/"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("HRuF early-warning API")
    expect(page.locator(".opblock").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert v.blocked == [] and v.foreign_requests() == []

    page.goto(v.url("/api/redoc/"))
    # Redoc lays out the whole schema in the browser before its first heading: seconds on a busy
    # 2-core machine, so it gets longer than the default 5 s.
    expect(page.locator("h1").first).to_contain_text("HRuF early-warning API", timeout=30_000)
    page.wait_for_load_state("networkidle")
    # Redoc's own CSS is applied (styled-components' sheet carries the nonce; so does the scroll bars').
    assert page.evaluate("Array.from(document.styleSheets).filter(s => s.ownerNode.tagName === 'STYLE').length") >= 2
    assert page.evaluate("getComputedStyle(document.querySelector('.menu-content')).position") == "sticky"
    assert [m for m in v.blocked if REDOCLY_LOGO not in m] == []
    assert v.foreign_requests() == [REDOCLY_LOGO] and (REDOCLY_LOGO, "csp") in refused
