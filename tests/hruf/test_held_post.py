"""A form sent after the idle sign-out comes back after signing in again, with what was typed."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from scans import services
from scans.periods import Period

NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
EVIDENCE = "Thirty-one minutes of notes: militia radio names the Fulani quarter; two shops burnt."

pytestmark = pytest.mark.usefixtures("matrix")


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def draft(country_a, officer_a):
    return services.scan_start(country=country_a, period=Period.parse("2026-Q4"), actor=officer_a)


def _form(client, scan) -> dict:
    """The scan form as the browser would send it: every field as rendered, evidence typed in row 0."""
    page = client.get(reverse("scans:scan_edit", args=[scan.pk]))
    form, formset = page.context["form"], page.context["formset"]
    data = {"lock_version": form["lock_version"].value(), "narrative": "Slow week.", "action": "save",
            "r-TOTAL_FORMS": formset.total_form_count(), "r-INITIAL_FORMS": formset.initial_form_count(),
            "r-MIN_NUM_FORMS": 0, "r-MAX_NUM_FORMS": 200}
    for row in formset:
        data[row["rating_id"].html_name] = row["rating_id"].value()
    data["r-0-rating"] = "2"
    data["r-0-evidence"] = EVIDENCE
    return data


def _sent_after_the_timeout(client, time_machine, scan, extra=None):
    data = {**_form(client, scan), **(extra or {})}
    time_machine.shift(dt.timedelta(minutes=31))
    response = client.post(reverse("scans:scan_edit", args=[scan.pk]), data)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    return response


def _saved_evidence(scan, **rows) -> list[str]:
    return [r.evidence for r in scan.revisions.get().ratings.filter(**rows)]  # encrypted: compared here, not in SQL


def _hidden_fields(html: str) -> dict:
    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        fields.setdefault(name, []).append(value.replace("&#x27;", "'").replace("&amp;", "&"))
    return fields


def test_the_form_comes_back_after_signing_in_and_is_saved_when_sent(client, login, officer_a, draft, time_machine):
    login(officer_a)
    response = _sent_after_the_timeout(client, time_machine, draft)
    assert "What you were sending is kept" in client.get(response.url).content.decode()
    assert EVIDENCE not in _saved_evidence(draft)  # not saved while signed out

    login(officer_a)
    page = client.get(reverse("scans:scan_edit", args=[draft.pk]))
    html = page.content.decode()
    assert "Send what you typed?" in html and EVIDENCE in html
    fields = _hidden_fields(html)
    fields.pop("csrfmiddlewaretoken", None)
    client.post(reverse("scans:scan_edit", args=[draft.pk]), fields)
    assert _saved_evidence(draft, rating=2).count(EVIDENCE) == 1
    # Sent: the form opens normally again.
    assert "Send what you typed?" not in client.get(reverse("scans:scan_edit", args=[draft.pk])).content.decode()


def test_someone_else_signing_in_on_that_browser_never_sees_it(client, login, officer_a, draft, time_machine, chair_a):
    login(officer_a)
    _sent_after_the_timeout(client, time_machine, draft)
    login(chair_a)
    page = client.get(reverse("scans:scan_edit", args=[draft.pk]))
    assert EVIDENCE not in page.content.decode()
    login(officer_a)
    assert "Send what you typed?" not in client.get(reverse("scans:scan_edit", args=[draft.pk])).content.decode()


def test_it_can_be_discarded_and_expires_after_an_hour(client, login, officer_a, draft, time_machine):
    login(officer_a)
    _sent_after_the_timeout(client, time_machine, draft)
    login(officer_a)
    response = client.post(reverse("held_post_discard"))
    assert response.url == reverse("scans:scan_edit", args=[draft.pk])
    assert "Send what you typed?" not in client.get(response.url).content.decode()

    _sent_after_the_timeout(client, time_machine, draft)
    time_machine.shift(dt.timedelta(minutes=61))
    login(officer_a)
    assert "Send what you typed?" not in client.get(reverse("scans:scan_edit", args=[draft.pk])).content.decode()


def test_passwords_are_never_held(client, login, officer_a, draft, time_machine):
    login(officer_a)
    _sent_after_the_timeout(client, time_machine, draft, extra={"old_password": "s3cret-old", "new_password1": "x"})
    login(officer_a)
    html = client.get(reverse("scans:scan_edit", args=[draft.pk])).content.decode()
    assert EVIDENCE in html and "s3cret-old" not in html and "new_password1" not in html
