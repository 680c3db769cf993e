"""The dashboard's warning-to-response clock: its section, its choices, and its cost."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scans.models import EarlyWarning, WarningStep

URL = reverse("followup:dashboard")
NOW = dt.datetime(2026, 4, 10, 12, tzinfo=dt.UTC)
K, S, Step = EarlyWarning.Kind, EarlyWarning.Severity, WarningStep.Kind


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


def _bulk(count: int, countries, start: int = 0) -> None:
    """`count` warnings raised in 2026-Q1, each acknowledged 3 hours and put on an agenda 2 days later."""
    raised = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
    warnings = EarlyWarning.objects.bulk_create(
        EarlyWarning(country=countries[i % len(countries)], kind=K.RISK_RISE, severity=S.ELEVATED, raised_at=raised,
                     act_by=raised, period=str(start + i))
        for i in range(count)
    )
    WarningStep.objects.bulk_create(
        WarningStep(warning=w, kind=kind, key=f"b-{w.pk}-{kind}", at=raised + after)
        for w in warnings for kind, after in ((Step.ACKNOWLEDGED, dt.timedelta(hours=3)), (Step.ON_AGENDA, dt.timedelta(days=2)))
    )


def test_it_shows_the_clock_for_the_chosen_period(login, eosg, country_a, country_c):
    _bulk(3, [country_a, country_c])
    response = login(eosg).get(URL, {"clock_period": "2026-q1"})
    assert response.status_code == 200
    clock = response.context["clock"]
    assert clock.period.code == "2026-Q1" and clock.warnings == 3
    html = response.content.decode()
    row = re.search(r'<tr data-stage="acknowledged">.*?</tr>', html, re.S).group()
    assert ">3<" in row and "3 h" in row
    assert re.search(r'<tr data-stage="on_agenda">.*?2 d.*?</tr>', html, re.S)
    assert 'id="table-clock-region"' in html and 'id="table-clock-kind"' in html and 'id="table-clock-severity"' in html
    # Raised 10 January, 90 days ago, never decided: all three are in the 30-day gap, linked.
    assert clock.gap_count == 3
    assert reverse("scans:warning_detail", args=[clock.gap[0].warning.pk]) in html
    assert '<option value="2026-Q1" selected>' in html


def test_the_gap_days_and_the_region_filter_apply(login, eosg, country_a, country_c, region_a):
    _bulk(3, [country_a, country_c])
    clock = login(eosg).get(URL, {"gap_days": "100", "region": region_a.pk}).context["clock"]
    assert clock.gap_days == 100 and clock.gap_count == 0
    assert clock.warnings == 2  # country A's only


@pytest.mark.parametrize(
    ("params", "message"),
    [({"clock_period": "2026-Q9"}, "2026-Q9"), ({"gap_days": "0"}, "greater than or equal to 1")],
)
def test_a_bad_clock_choice_gets_a_clear_message_and_keeps_what_was_typed(login, eosg, params, message):
    response = login(eosg).get(URL, params)
    assert response.status_code == 400
    assert response.context["clock"] is None
    html = response.content.decode()
    assert message in html and "The clock's choices could not be applied" in html
    if "gap_days" in params:
        assert 'value="0"' in html


def test_the_filters_and_the_clock_keep_each_other_s_choices(login, eosg, region_a):
    html = login(eosg).get(URL, {"region": region_a.pk, "gap_days": "45"}).content.decode()
    filters, clock = html[:html.index('id="section-clock"')], html[html.index('id="section-clock"'):]
    assert '<input type="hidden" name="gap_days" value="45">' in filters
    assert f'<input type="hidden" name="region" value="{region_a.pk}">' in clock


def test_the_clock_form_labels_every_input(login, eosg):
    html = login(eosg).get(URL).content.decode()
    section = html[html.index('id="section-clock"'):]
    for name in ("clock_period", "gap_days"):
        assert f'<label class="form-label" for="id_{name}">' in section


def _queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_warnings(login, eosg, country_a, country_b, country_c):
    client = login(eosg)
    countries = [country_a, country_b, country_c]
    _bulk(100, countries)
    chosen = {"clock_period": "2026-Q1", "gap_days": "20"}
    small = [_queries(client), _queries(client, chosen)]
    _bulk(9_900, countries, start=100)
    assert EarlyWarning.objects.count() == 10_000
    assert [_queries(client), _queries(client, chosen)] == small
