"""The Content Security Policy: sent on every page, and nothing on the pages that it would block."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from ..factories import UserFactory
from ..policy.world import build_world

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}
INLINE_STYLE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def _policy(header: str) -> dict[str, set[str]]:
    parts = (d.strip().split() for d in header.split(";") if d.strip())
    return {p[0]: set(p[1:]) for p in parts}


def _inline_problems(html: str) -> list[str]:
    problems = [m.group(0)[:120] for rx in (INLINE_STYLE, STYLE_ELEMENT, EVENT_HANDLER, JS_URL) for m in rx.finditer(html)]
    for m in SCRIPT_TAG.finditer(html):
        attrs = m.group(1)
        is_data = re.search(r'type="application/(ld\+)?json"', attrs) and "nonce=" in attrs
        if "src=" not in attrs and not is_data:
            problems.append(m.group(0))
    return problems


@pytest.fixture
def world(matrix, country_a, officer_a, officer_b, chair_a, chair_b, sag, eosg, owner, outsider):
    return build_world(
        country_a=country_a, officer_a=officer_a, officer_b=officer_b, chair_a=chair_a, chair_b=chair_b,
        sag=sag, eosg=eosg, owner=owner, outsider=outsider,
    )


def _pages(w):
    """(persona, url): every main page, each as someone who may see it."""
    iso3 = w.country.iso3
    return [
        *((p, reverse("home")) for p in ("officer_a", "chair_a", "sag", "eosg", "owner", "outsider")),
        ("officer_a", reverse("scans:scan_edit", args=[w.draft.pk])),
        ("officer_a", reverse("scans:alert_create", args=[iso3])),
        ("chair_a", reverse("scans:scan_detail", args=[w.scan.pk])),
        ("chair_a", reverse("scans:country_detail", args=[iso3])),
        ("chair_a", reverse("scans:country_list")),
        ("eosg", reverse("scans:alert_list")),
        ("eosg", reverse("scans:alert_detail", args=[w.alert.pk])),
        ("chair_a", reverse("reviews:meeting_list")),
        ("chair_a", reverse("reviews:meeting_detail", args=[w.rqr.pk])),
        ("chair_a", reverse("reviews:meeting_print", args=[w.rqr.pk])),
        ("sag", reverse("reviews:meeting_detail", args=[w.sag.pk])),
        ("sag", reverse("reviews:sag_candidates")),
        ("eosg", reverse("followup:dashboard")),
        ("eosg", reverse("followup:plan_list")),
        ("eosg", reverse("followup:plan_detail", args=[w.plan.pk])),
        ("owner", reverse("followup:my_actions")),
        ("owner", reverse("followup:action_detail", args=[w.action.pk])),
        ("officer_a", reverse("inbox")),
        ("officer_a", reverse("preferences")),
        ("officer_a", reverse("two_factor")),
        ("officer_a", reverse("two_factor_setup")),
        ("officer_a", reverse("password_change")),
        ("eosg", reverse("two_factor")),
        ("admin", "/admin/"),
    ]


def test_every_main_page_carries_the_policy_and_nothing_it_would_block(client, login, world):
    pages = [(None, reverse("login")), *_pages(world)]
    for persona, url in pages:
        client.logout()
        if persona:
            login(world.people[persona])
        response = client.get(url)
        assert response.status_code == 200, (persona, url, response.status_code)
        assert _policy(response["Content-Security-Policy"]) == POLICY, (persona, url)
        assert _inline_problems(response.content.decode()) == [], (persona, url)


def test_the_code_step_page_also_complies(client, officer_a):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=officer_a, name="phone", confirmed=True)
    client.force_login(officer_a)
    response = client.get(reverse("two_factor_verify"))
    assert response.status_code == 200
    assert _policy(response["Content-Security-Policy"]) == POLICY
    assert _inline_problems(response.content.decode()) == []


def test_the_api_docs_run_from_files_and_redoc_styles_by_nonce_only(login, eosg):
    client = login(eosg)
    swagger = client.get(reverse("api-docs"))
    assert swagger.status_code == 200 and _policy(swagger["Content-Security-Policy"]) == POLICY
    assert _inline_problems(swagger.content.decode()) == []
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()

    redoc = client.get(reverse("api-redoc"))
    assert redoc.status_code == 200
    policy = _policy(redoc["Content-Security-Policy"])
    nonce = re.search(r'<script src="[^"]+redoc-init\.js" nonce="([^"]+)">', redoc.content.decode()).group(1)
    # The one relaxation: Redoc's run-time <style> elements, admitted by this response's nonce.
    assert policy == {**POLICY, "style-src": {"'self'", f"'nonce-{nonce}'"}}
    assert _inline_problems(redoc.content.decode()) == []
    assert "fonts.googleapis.com" not in redoc.content.decode()


def test_other_pages_get_a_fresh_nonce_only_where_they_ask(login, eosg):
    client = login(eosg)
    first = client.get(reverse("api-redoc"))["Content-Security-Policy"]
    second = client.get(reverse("api-redoc"))["Content-Security-Policy"]
    assert first != second and "nonce-" in first
    assert "nonce-" not in client.get(reverse("home"))["Content-Security-Policy"]


TEMPLATE_EXCEPTIONS = {
    # Emails are read in mail clients, which drop linked stylesheets; no browser policy applies there.
    "hruf/email/",
}


def test_no_template_holds_inline_style_script_or_handlers():
    root = Path(settings.BASE_DIR) / "templates"
    offenders = {}
    for path in sorted(root.rglob("*.html")):
        name = path.relative_to(root).as_posix()
        if any(name.startswith(prefix) for prefix in TEMPLATE_EXCEPTIONS):
            continue
        problems = _inline_problems(path.read_text(encoding="utf-8"))
        if problems:
            offenders[name] = problems
    assert offenders == {}


def test_the_checks_find_what_they_look_for():
    assert _inline_problems('<p style="color: red">') and _inline_problems("<script>alert(1)</script>")
    assert _inline_problems('<button onclick="go()">') and _inline_problems('<a href="javascript:go()">')
    assert _inline_problems("<style>p {}</style>")
    assert not _inline_problems('<script src="/static/js/a.js" defer></script><p class="x">on=1</p>')


@pytest.mark.django_db
def test_the_login_page_works_without_a_session(client):
    response = client.get(reverse("login"))
    assert _policy(response["Content-Security-Policy"]) == POLICY
    UserFactory(username="nobody")  # the page is the same with people in the database
    assert _inline_problems(client.get(reverse("login")).content.decode()) == []
