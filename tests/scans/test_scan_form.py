"""The scan form in the browser's shoes: drafts, validation that keeps input, double posts."""

import datetime as dt

import pytest
from django.urls import reverse

from scans.models import Scan
from scans.periods import Period

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


def _post_data(page_context, **changes):
    """The form as the browser would send it back, from the rendered page's forms."""
    form, formset = page_context["form"], page_context["formset"]
    data = {"lock_version": form["lock_version"].value(), "narrative": form["narrative"].value() or ""}
    data.update({k: v for k, v in formset.management_form.initial.items()})
    data = {f"r-{k}" if k in formset.management_form.fields else k: v for k, v in data.items()}
    for row in formset:
        for name in ("rating_id", "rating", "trend", "evidence", "confidence"):
            value = row[name].value()
            data[row[name].html_name] = "" if value is None else value
        if row["restricted"].value():
            data[row["restricted"].html_name] = "on"
    data.update(changes)
    return data


def _start(client, country):
    response = client.post(reverse("scans:scan_start", args=[country.iso3]), {"period": "2026-Q4"})
    scan = Scan.objects.get(country=country, period="2026-Q4")
    assert response.url == reverse("scans:scan_edit", args=[scan.pk])
    return scan


def test_it_saves_a_draft_with_nothing_filled_in(login, country_a, officer_a):
    client = login(officer_a)
    scan = _start(client, country_a)
    page = client.get(reverse("scans:scan_edit", args=[scan.pk]))
    response = client.post(page.request["PATH_INFO"], _post_data(page.context, action="save", narrative="Begun"))
    assert response.status_code == 302
    assert scan.revisions.get().narrative == "Begun"


def test_a_refused_submission_keeps_every_entry_and_marks_each_problem(login, country_a, officer_a):
    client = login(officer_a)
    scan = _start(client, country_a)
    url = reverse("scans:scan_edit", args=[scan.pk])
    page = client.get(url)
    data = _post_data(page.context, action="submit", narrative="Tension rising in the north")
    data["r-0-rating"] = "3"  # severe, without evidence
    data["r-1-evidence"] = "Radio calls <script>alert(1)</script> to expel them"
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Evidence is required for ratings 2 (serious) and 3 (severe)." in html
    assert html.count("Rate this indicator.") >= 9 * 2  # beside each field and in the summary
    assert 'id="error-summary"' in html
    assert "Tension rising in the north" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    # ...and what was typed survives even if the officer walks away now.
    revision = scan.revisions.get()
    assert revision.is_draft and revision.narrative == "Tension rising in the north"
    assert revision.ratings.filter(rating=3).count() == 1


def test_it_submits_a_complete_scan_and_explains_the_score(login, country_a, officer_a):
    client = login(officer_a)
    scan = _start(client, country_a)
    url = reverse("scans:scan_edit", args=[scan.pk])
    page = client.get(url)
    data = _post_data(page.context, action="submit")
    for i in range(10):
        data[f"r-{i}-rating"] = "0"
    data["r-0-rating"], data["r-0-evidence"] = "3", "Militias recruiting along ethnic lines"
    response = client.post(url, data)
    assert response.url == reverse("scans:scan_detail", args=[scan.pk])
    detail = client.get(response.url).content.decode()
    assert "Raised to high" in detail and "Militias recruiting" in detail


def test_a_form_posted_twice_is_refused_the_second_time(login, country_a, officer_a):
    client = login(officer_a)
    scan = _start(client, country_a)
    url = reverse("scans:scan_edit", args=[scan.pk])
    data = _post_data(client.get(url).context, action="save", narrative="first")
    assert client.post(url, data).status_code == 302
    data["narrative"] = "second"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "saved elsewhere since you opened it" in response.content.decode()
    assert "second" in response.content.decode()  # the refused text is still on the page to copy
    assert scan.revisions.get().narrative == "first"


def test_it_refuses_over_long_text_and_out_of_scale_ratings_saving_nothing(login, country_a, officer_a):
    client = login(officer_a)
    scan = _start(client, country_a)
    url = reverse("scans:scan_edit", args=[scan.pk])
    data = _post_data(client.get(url).context, action="save", narrative="kept")
    data["r-0-rating"] = "7"
    data["r-1-evidence"] = "x" * 5001
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html and "at most 5000 characters" in html
    assert scan.revisions.get().narrative == ""


def test_a_second_start_for_the_same_period_links_to_the_existing_scan(login, country_a, officer_a):
    client = login(officer_a)
    scan = _start(client, country_a)
    response = client.post(reverse("scans:scan_start", args=[country_a.iso3]), {"period": "2026-Q4"}, follow=True)
    html = response.content.decode()
    assert "already exists" in html and reverse("scans:scan_edit", args=[scan.pk]) in html


@pytest.mark.parametrize("period, message", [("2027-Q1", "has not started yet"), ("2026-13", "is not a period")])
def test_it_refuses_bad_periods_with_a_message(login, country_a, officer_a, period, message):
    client = login(officer_a)
    response = client.post(reverse("scans:scan_start", args=[country_a.iso3]), {"period": period}, follow=True)
    assert message in response.content.decode()
    assert not Scan.objects.exists()


def test_the_form_highlights_what_changed_since_the_last_scan(login, country_a, officer_a):
    file_scan(country_a, officer_a, Period.parse("2026-Q3"), rating=1)
    client = login(officer_a)
    scan = _start(client, country_a)
    url = reverse("scans:scan_edit", args=[scan.pk])
    page = client.get(url)
    assert page.content.decode().count('class="changed') == 0
    data = _post_data(page.context, action="save")
    data["r-2-rating"] = "2"
    client.post(url, data)
    html = client.get(url).content.decode()
    assert html.count('<tr class="changed') == 1
    assert "Last scan:" in html


def test_a_case_indicator_added_while_typing_keeps_the_typing_and_shows_the_new_row(login, country_a, officer_a):
    from scans import services

    client = login(officer_a)
    scan = _start(client, country_a)
    url = reverse("scans:scan_edit", args=[scan.pk])
    data = _post_data(client.get(url).context, action="submit", narrative="Typed before the new indicator")
    services.case_indicator_add(country=country_a, actor=officer_a, name="Attacks in province X")
    response = client.post(url, data, follow=True)
    html = response.content.decode()
    assert "A case-specific indicator was added while you worked" in html and "Attacks in province X" in html
    assert scan.revisions.get().narrative == "Typed before the new indicator"


def test_a_post_to_a_scan_submitted_meanwhile_is_refused_with_the_text_on_screen(login, country_a, officer_a):
    client = login(officer_a)
    scan = _start(client, country_a)
    url = reverse("scans:scan_edit", args=[scan.pk])
    stale = _post_data(client.get(url).context, action="save", narrative="Second tab text")
    complete = _post_data(client.get(url).context, action="submit")
    for i in range(10):
        complete[f"r-{i}-rating"] = "0"
    client.post(url, complete)
    response = client.post(url, stale)
    assert response.status_code == 409 and "Second tab text" in response.content.decode()
