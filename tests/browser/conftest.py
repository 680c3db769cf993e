"""Headless Chromium for the browser suite: one browser per session, a fresh context per test.

Every page a journey visits goes through `Visit.check()`: a full-page screenshot kept as an artifact,
then axe-core (bundled by the axe-playwright-python package, injected by the test, never from a CDN).
`Visit.assert_clean()` fails the test on any serious or critical axe violation, on any request that
left the live server's origin, and on anything the Content Security Policy blocked (Chromium reports
each as a console message "Refused to ...").

People who owe a second factor pass it as a person would (`Visit.login`): EOSG staff set up their
authenticator on the page (the key read from the page), later sign-ins type the current code.
"""

from __future__ import annotations

import os
import re
import shutil
from base64 import b32decode
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

CHROMIUM = os.environ.get("HRUF_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct horse battery"  # tests/factories.py
BLOCKING_IMPACTS = {"serious", "critical"}
# A small phone held upright, touched rather than clicked.
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
# data: and blob: never leave the machine; about:blank is the page before the first navigation.
LOCAL_SCHEMES = ("data:", "blob:", "about:")


def artifact_dir() -> Path:
    if os.environ.get("HRUF_SCREENSHOT_DIR"):
        return Path(os.environ["HRUF_SCREENSHOT_DIR"])
    return Path(os.environ.get("HRUF_VAR_DIR", settings.BASE_DIR / "var")) / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        # On CI a missing browser is a broken install step, not a reason to pass quietly.
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    # Playwright's sync API keeps an asyncio loop running in this thread; Django then refuses ORM calls
    # from the test body unless told the loop is not serving async code (it is Playwright's own).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright_sync.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe_source() -> str:
    axe = pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")
    return (Path(axe.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def screenshots() -> Path:
    path = artifact_dir()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def reference(db):
    """Transactional tests flush the data migrations' rows: put back what the journeys need."""
    from followup.reference import load_templates
    from hruf.models import Entity
    from scans.reference import load_matrix

    load_matrix(apps)
    for code in ("OHCHR", "DPPA", "UNDP", "EOSG"):
        Entity.objects.get_or_create(code=code, defaults={"name": code})
    load_templates(apps)


class Visit:
    """One person's browser tab, with the checks every visited page must pass."""

    def __init__(self, context, base_url: str, axe_source: str, folder: Path, name: str):
        self.context, self.base_url, self.axe_source = context, base_url.rstrip("/"), axe_source
        self.folder, self.name = folder, name
        self.page = context.new_page()
        self.requests: list[str] = []
        self.violations: list[str] = []
        self.blocked: list[str] = []
        self.visited: list[str] = []
        self.widths: dict[str, int] = {}  # on a phone: each visited page's scroll width
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", self._console)

    def _console(self, message):
        if "Refused to" in message.text or "Content Security Policy" in message.text:
            self.blocked.append(f"{self.page.url}: {message.text}")

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, label: str):
        self.page.goto(self.url(path))
        return self.check(label)

    def check(self, label: str):
        """Screenshot the page as it stands and run axe on it."""
        self.page.wait_for_load_state("load")
        self.visited.append(self.page.url)
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.page.screenshot(path=str(self.folder / f"{self.name}-{len(self.visited):02d}-{slug}.png"), full_page=True)
        if self.context._hruf_phone:
            self.widths[label] = self.page.evaluate("document.documentElement.scrollWidth")
        if self.context._hruf_js:  # axe needs JavaScript; a no-JS context is checked for its screenshots only
            self.page.evaluate(self.axe_source)
            result = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            for v in result["violations"]:
                if v["impact"] in BLOCKING_IMPACTS:
                    targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
                    self.violations.append(f"[{label}] {v['id']} ({v['impact']}): {v['help']} at {targets}")
        return self.page

    def login(self, user, label: str = "login", *, password: str = PASSWORD):
        self.page.goto(self.url("/accounts/login/"))
        self.check(f"{label} form")
        self.page.get_by_label("Username").fill(user.username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(lambda url: url == self.url("/") or "/accounts/two-factor/" in url)
        if "/accounts/two-factor/setup/" in self.page.url:
            self.check(f"{label} two-factor setup")
            key = b32decode(self.page.locator("#secret").inner_text().replace(" ", ""))
            self.page.get_by_label("Code from the app").fill(_code(key))
            self.page.get_by_role("button", name="Turn on").click()
            self.check(f"{label} backup codes")
            self.page.get_by_role("link", name="Continue").click()
        elif "/accounts/two-factor/verify/" in self.page.url:
            self.check(f"{label} two-factor code")
            from django_otp.plugins.otp_totp.models import TOTPDevice

            self.page.get_by_label("Code").fill(_code(TOTPDevice.objects.get(user=user, confirmed=True).bin_key))
            self.page.get_by_role("button", name="Verify").click()
        self.page.wait_for_url(self.url("/"))
        return self.check(f"{label} home")

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.base_url + "/") and not u.startswith(LOCAL_SCHEMES)]

    def overflowing(self) -> dict[str, int]:
        """The pages, seen on a phone, that scroll sideways: wider than the screen."""
        return {label: w for label, w in self.widths.items() if w > PHONE["viewport"]["width"]}

    def assert_clean(self):
        assert not self.overflowing(), f"pages wider than the phone's screen: {self.overflowing()}"
        assert not self.violations, "axe found serious or critical violations:\n" + "\n".join(self.violations)
        assert not self.foreign_requests(), f"requests left the app's origin: {self.foreign_requests()}"
        assert not self.blocked, "the Content Security Policy blocked:\n" + "\n".join(self.blocked)


def _code(key: bytes) -> str:
    """The code an authenticator app shows now for this key."""
    from django_otp.oath import totp

    return f"{totp(key):06d}"


@pytest.fixture
def visit(browser, live_server, axe_source, screenshots, request):
    """visit(name) opens a new browser context (a new person) on the live server; phone=True on a small
    phone's screen, where every checked page must fit the screen's width."""
    opened = []

    def _open(name: str, *, javascript: bool = True, base_url: str | None = None, storage_state=None,
              phone: bool = False, service_workers: str = "allow") -> Visit:
        context = browser.new_context(java_script_enabled=javascript, locale="en-GB", storage_state=storage_state,
                                      service_workers=service_workers, **(PHONE if phone else {}))
        context._hruf_js, context._hruf_phone = javascript, phone
        context.set_default_timeout(10_000)
        v = Visit(context, base_url or live_server.url, axe_source, screenshots, f"{request.node.name}-{name}")
        opened.append(v)
        return v

    yield _open
    for v in opened:
        v.context.close()
