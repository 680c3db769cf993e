"""A browser's part over real HTTP: a session cookie, the CSRF cookie, and forms sent back as the page
rendered them (with a few fields changed), so the fault tests drive a gunicorn like a person would."""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.test import Client


class _Forms(HTMLParser):
    """Each form's action and its fields' current values (checked boxes, selected options, text)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._select: str | None = None
        self._select_chosen = False  # an option marked selected was seen in the open select
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append((a.get("action") or "", {}))
        elif not self.forms:
            return
        elif tag == "option" and self._select:
            values = self.forms[-1][1]
            if "selected" in a or (self._select not in values and not self._select_chosen):
                values[self._select] = a.get("value", "")
                self._select_chosen = self._select_chosen or "selected" in a
        elif not a.get("name"):
            return
        elif tag == "input" and a.get("type", "text") not in ("submit", "button", "file", "image"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1][1][a["name"]] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select, self._select_chosen = a["name"], False
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1][1][a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][1][self._textarea] += data


@dataclass
class Page:
    status: int
    headers: dict[str, str]
    text: str
    seconds: float
    forms: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def form(self, action: str) -> dict[str, str]:
        for form_action, values in self.forms:
            if form_action == action:
                return dict(values)
        raise AssertionError(f"no form posting to {action} on this page: {[a for a, _ in self.forms]}")


def signed_in_session(user) -> str:
    """A real session row in the test database (which the served app reads): its cookie value."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Browser:
    def __init__(self, base: str, user=None, *, session: str | None = None):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        if user is not None:
            session = signed_in_session(user)
        if session is not None:
            self.cookies[settings.SESSION_COOKIE_NAME] = session

    def request(self, method: str, path: str, fields: dict[str, str] | None = None, timeout: float = 60) -> Page:
        headers = {"Accept-Language": "en", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        seconds = time.monotonic() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        text = raw.decode("utf-8", "replace")
        page = Page(response.status, {k.lower(): v for k, v in response.getheaders()}, text, seconds)
        if "html" in page.headers.get("content-type", ""):
            page.forms = parse_forms(text)
        return page

    def get(self, path: str) -> Page:
        return self.request("GET", path)

    def submit(self, page_path: str, action: str = "", **changes: str) -> Page:
        """Open the page, fill its form posting to `action` (itself when empty) as rendered, change
        some fields, send it."""
        fields = self.get(page_path).form(action)
        fields.update(changes)
        return self.request("POST", action or page_path, fields)


def parse_forms(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms
