"""The Exports page: choices by role, a refused form that keeps what was typed, the nav link."""

import re

from django.urls import reverse

from .files import post_export


def test_it_offers_the_kinds_the_user_may_use(world, login, owner, officer_a):
    owner_page = login(owner).get(reverse("exports:export_page")).content.decode()
    assert 'value="actions"' in owner_page and 'value="scans"' not in owner_page
    officer_page = login(officer_a).get(reverse("exports:export_page")).content.decode()
    assert all(f'value="{k}"' in officer_page for k in ("scans", "alerts", "actions", "records"))


def test_a_refused_form_keeps_its_values_and_says_why(world, login, chair_a, country_b):
    response = post_export(
        login(chair_a), kind="alerts", format="xlsx", country=country_b.pk, period="2026-Q9",
        date_from="2026-09-30", date_to="2026-09-01", include_restricted="on",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "2026-Q9" in page and "is not a period" in page
    assert "The end date is before the start date." in page
    assert 'value="2026-09-30"' in _input(page, "date_from") and 'value="2026-09-01"' in _input(page, "date_to")
    assert f'<option value="{country_b.pk}" selected>' in page
    assert " checked" in _input(page, "kind", "alerts") and " checked" not in _input(page, "kind", "scans")
    assert " checked" in _input(page, "format", "xlsx")
    assert " checked" in _input(page, "include_restricted")


def _input(page: str, name: str, value: str | None = None) -> str:
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and (value is None or f'value="{value}"' in tag):
            return tag
    raise AssertionError(f"no input {name}={value}")


def test_the_nav_links_to_exports_for_signed_in_people(world, login, officer_a):
    page = login(officer_a).get(reverse("home")).content.decode()
    assert f'href="{reverse("exports:export_page")}"' in page
