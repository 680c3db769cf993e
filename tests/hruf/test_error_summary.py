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


def test_a_refused_removal_on_the_meeting_page_is_summarised_linked_and_repeated_at_its_field(
    client, login, matrix, country_a, officer_a, chair_a, region_a
):
    from reviews import services
    from scans.periods import Period

    from ..factories import file_scan

    quarter = Period.parse("2026-Q3")
    file_scan(country_a, officer_a, quarter, rating=3)
    meeting = services.rqr_create(actor=chair_a, region=region_a, quarter=quarter, date=quarter.start, chair=chair_a)
    item = meeting.items.get()  # proposed by the app: taking it off needs a reason
    login(chair_a)
    page = client.get(reverse("reviews:meeting_detail", args=[meeting.pk])).content.decode()
    assert re.search(rf'<label[^>]*for="remove-{item.pk}">[^<]*<span class="asteriskField">\*</span>', page)
    assert re.search(rf'id="remove-{item.pk}"[^>]*required', page)

    response = client.post(reverse("reviews:agenda_remove", args=[meeting.pk, item.pk]),
                           {"lock_version": meeting.lock_version, "reason": ""}, follow=True)
    html = response.content.decode()
    assert re.search(r"<title>Error: ", html)
    summary = re.search(r'<div class="alert alert-danger error-summary" role="alert" tabindex="-1"[^>]*>(.*?)</div>', html, re.S)
    assert summary and f'href="#remove-{item.pk}"' in summary.group(1) and "say why it is taken off" in summary.group(1)
    assert re.search(rf'id="remove-{item.pk}-error">[^<]*say why it is taken off', html)
    assert meeting.items.included().count() == 1


def test_an_error_without_a_field_still_titles_the_page(client, login, matrix, country_a, officer_a, chair_a, region_a):
    from reviews import services
    from scans.periods import Period

    quarter = Period.parse("2026-Q3")
    meeting = services.rqr_create(actor=chair_a, region=region_a, quarter=quarter, date=quarter.start, chair=chair_a)
    login(chair_a)
    response = client.post(reverse("reviews:agenda_add", args=[meeting.pk]),
                           {"lock_version": meeting.lock_version - 1, "country": country_a.pk, "reason": "Why"}, follow=True)
    html = response.content.decode()
    assert re.search(r"<title>Error: ", html)
    assert re.search(r'class="alert alert-danger error-summary"[^>]*>[^<]*changed', html)  # a stale edit: no link


def test_required_choices_prompt_instead_of_a_blank_and_a_sole_region_is_chosen(client, login, chair_a, region_a):
    login(chair_a)
    html = client.get(reverse("reviews:meeting_list")).content.decode()
    region = re.search(r'<select name="region"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", region) == ["Choose the region", "Region A"]
    assert re.search(r'<option value="\d+" selected>Region A</option>', region)
    assert "---------" not in html


def test_a_new_library_benchmark_row_is_optional_until_filled_then_needs_both_fields(client, login, eosg):
    login(eosg)
    html = client.get(reverse("followup:template_create")).content.decode()
    assert not re.search(r'name="b-0-description"[^>]*required', html)
    response = client.post(reverse("followup:template_create"), {
        "title": "Monitoring mission", "description": "", "default_duration_days": "30", "active": "on",
        "b-TOTAL_FORMS": "2", "b-INITIAL_FORMS": "0", "b-MIN_NUM_FORMS": "0", "b-MAX_NUM_FORMS": "20",
        "b-0-description": "Team deployed", "b-0-offset_days": "",
        "b-1-description": "", "b-1-offset_days": "",
    })
    assert response.status_code == 400
    assert re.search(r'href="#id_b-0-offset_days"', response.content.decode()) or "b-0-offset_days" in response.content.decode()
    assert 'value="Team deployed"' in response.content.decode()
