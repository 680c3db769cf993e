"""One form pattern (issue 13, item 5), checked on every form of every page of the policy table as each
persona sees it: every control a person fills has a label; a required one is marked "*" in its label (and
carries `required`, so assistive technology says so too) and an optional one is not; a required choice
offers no blank "---------"; a form with a required field says once what the mark means."""

from html.parser import HTMLParser

import pytest

from .table import POLICY
from .test_form_fuzz import _client, _url
from .world import build_world

REQUIRED_MARK = 'class="asteriskField"'  # crispy's mark, used by the hand-written forms too
NOT_FILLED = {"hidden", "submit", "button", "reset", "image"}


class Forms(HTMLParser):
    """Each <form>'s controls, labels (by their `for`) and the raw HTML of each label."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.labels, self._label, self._select = [], {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"controls": [], "text": ""})
        elif tag == "label":
            self._label = a.get("for") or ""
            self.labels.setdefault(self._label, "")
        elif self._label is not None:
            self.labels[self._label] += self.get_starttag_text()
        if tag in ("input", "select", "textarea") and self.forms and a.get("type") not in NOT_FILLED:
            control = {"tag": tag, **a, "options": []}
            self.forms[-1]["controls"].append(control)
            if tag == "select":
                self._select = control
        if tag == "option" and self._select is not None:
            self._select["options"].append("")
            if not a.get("value"):
                self._select["blank"] = True

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None
        if tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._label is not None:
            self.labels[self._label] += data
        if self._select is not None and self._select["options"]:
            self._select["options"][-1] += data.strip()
        if self.forms:
            self.forms[-1]["text"] += data


@pytest.fixture
def world(matrix, country_a, officer_a, officer_b, chair_a, chair_b, sag, eosg, owner, outsider):
    return build_world(country_a=country_a, officer_a=officer_a, officer_b=officer_b, chair_a=chair_a,
                       chair_b=chair_b, sag=sag, eosg=eosg, owner=owner, outsider=outsider)


def _problems(url, html):
    parsed = Forms()
    parsed.feed(html)
    problems, explained = [], "marked * are required" in html
    for form in parsed.forms:
        for c in form["controls"]:
            name = c.get("name") or c.get("id")
            label = parsed.labels.get(c.get("id", "-"))
            if label is None and not c.get("aria-label"):
                problems.append(f"{url}: {name} has no label")
                continue
            if c["tag"] == "input" and c.get("type") in ("radio", "checkbox"):
                continue  # marked on their group's legend
            if c["tag"] == "select" and "multiple" not in c and not c.get("blank"):
                continue  # no empty choice: it cannot be left blank (and HTML forbids `required` there)
            marked = label is not None and REQUIRED_MARK in label
            if "required" in c and label is not None and not marked:
                problems.append(f"{url}: required {name} is not marked")
            if "required" not in c and marked:
                problems.append(f"{url}: optional {name} is marked required")
            if "required" in c and label is not None and not explained:
                problems.append(f"{url}: the required mark is not explained")
            if c["tag"] == "select" and "required" in c and "---------" in c["options"]:
                problems.append(f"{url}: required choice {name} offers ---------")
    return problems


def test_every_form_marks_required_fields_alike_and_offers_no_blank_required_choice(
    world, officer_a, chair_a, sag, eosg, owner
):
    pages = sorted(r for r, m in POLICY if m == "GET")
    problems, forms = [], 0
    for user in (officer_a, chair_a, sag, eosg, owner):
        client = _client(user)
        for route in pages:
            url = _url(world, route)
            if url.startswith("/api/"):
                continue
            page = client.get(url)
            if page.status_code == 200 and page["Content-Type"].startswith("text/html"):
                html = page.content.decode()
                forms += html.count("<form")
                problems += _problems(f"{user.username} {url}", html)
    print(f"\nform pattern: {forms} forms read")
    assert sorted(set(problems)) == []


def test_the_checker_sees_a_missing_mark_and_a_blank_required_choice():
    html = ('<form><label for="a">A</label><input id="a" name="a" required>'
            '<label for="b">B</label><select id="b" name="b" required><option value="">---------</option></select>'
            '<input name="c"></form>')
    assert _problems("x", html) == [
        "x: required a is not marked", "x: the required mark is not explained",
        "x: required b is not marked", "x: the required mark is not explained",
        "x: required choice b offers ---------", "x: c has no label",
    ]
    fixed = html.replace(">A<", '>A<span class="asteriskField">*</span><').replace("---------", "Choose")
    assert _problems("x", fixed + "Fields marked * are required.") == [
        "x: required b is not marked", "x: c has no label",
    ]
