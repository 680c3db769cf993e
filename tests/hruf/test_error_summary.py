"""One form pattern: every form crispy renders opens its errors with a summary linked to the fields."""

import re

from django.urls import reverse


def test_a_refused_alert_lists_each_problem_linked_to_its_field_and_says_error_in_the_title(client, login, country_a, officer_a):
    login(officer_a)
    response = client.post(reverse("scans:alert_create", args=[country_a.iso3]), {"title": "", "location": "North"})
    html = response.content.decode()
    assert response.status_code == 400
    summary = re.search(r'<div class="alert alert-danger error-summary" role="alert" tabindex="-1"[^>]*>(.*?)</div>', html, re.S)
    assert summary, "no error summary"
    assert 'href="#id_title"' in summary.group(1) and 'href="#id_description"' in summary.group(1)
    assert 'href="#id_severity' in summary.group(1)
    assert re.search(r"<title>Error: ", html)
    assert "---------" not in html  # severity is four radio buttons, none blank
    assert 'value="North"' in html  # what was typed is kept


def test_a_form_elsewhere_gets_the_same_summary(client, login, officer_a):
    login(officer_a)
    response = client.post(reverse("preferences"), {"email_mode": "nonsense"})
    assert response.status_code == 400
    assert 'class="alert alert-danger error-summary"' in response.content.decode()
