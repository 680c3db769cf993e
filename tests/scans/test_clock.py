"""The warning-to-response clock against a small data set whose figures are worked out by hand."""

import datetime as dt

import pytest

from hruf.permissions import warnings_visible_to
from scans.clock import clock_figures, duration_text, nearest_rank
from scans.models import EarlyWarning, WarningStep
from scans.periods import Period

K, S, Step = EarlyWarning.Kind, EarlyWarning.Severity, WarningStep.Kind
T0 = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
NOW = T0 + dt.timedelta(days=40)
H, D = dt.timedelta(hours=1), dt.timedelta(days=1)


def _warning(country, kind, severity, raised_at, state=EarlyWarning.State.RAISED, closed_at=None, **steps):
    w = EarlyWarning.objects.create(country=country, kind=kind, severity=severity, raised_at=raised_at, act_by=raised_at,
                                    state=state, closed_at=closed_at)
    for n, (kind_, after) in enumerate(steps.items()):
        WarningStep.objects.create(warning=w, kind=kind_.removesuffix("_again"), key=f"t-{w.pk}-{n}", at=raised_at + after)
    return w


@pytest.fixture
def ledger(country_a, country_b, country_c):
    """Region A: w1, w2 (country A), w3 (country B); region B: w4, w5 (country C)."""
    return {
        "w1": _warning(country_a, K.ALERT, S.IMMINENT, T0, acknowledged=2 * H, on_agenda=3 * D, decided=10 * D,
                       plan_adopted=12 * D, first_action=20 * D, on_agenda_again=50 * D),
        "w2": _warning(country_a, K.ALERT, S.SEVERE, T0, acknowledged=4 * H, on_agenda=5 * D, decided=20 * D),
        "w3": _warning(country_b, K.RISK_RISE, S.ELEVATED, T0, acknowledged=6 * H, chased=1 * H),
        "w4": _warning(country_c, K.RISK_RISE, S.ELEVATED, T0, acknowledged=10 * H, on_agenda=1 * D),
        "w5": _warning(country_c, K.ESCALATION, S.SERIOUS, T0),
        # Raised before the quarter: in the gap, not in the quarter's figures.
        "w6": _warning(country_a, K.SILENCE, S.ELEVATED, dt.datetime(2025, 12, 20, tzinfo=dt.UTC), acknowledged=1 * H),
        "w7": _warning(country_b, K.ALERT, S.SERIOUS, T0, state=EarlyWarning.State.CLOSED,
                       closed_at=T0 + D),  # closed otherwise
        "w8": _warning(country_b, K.ALERT, S.SERIOUS, T0 + 35 * D),  # too young for the gap
    }


def _clock(warnings, period="2026-Q1"):
    return clock_figures(warnings=warnings, period=Period.parse(period) if period else None, now=NOW, gap_days=30, gap_limit=50)


def _figures(stages):
    return {s.stage: (s.count, s.median, s.p90) for s in stages}


def test_it_takes_nearest_rank_percentiles():
    assert nearest_rank([], 50) is None
    assert nearest_rank([1, 2], 50) == 1
    assert nearest_rank([1, 2, 3, 4], 50) == 2
    assert nearest_rank([1, 2, 3, 4], 90) == 4
    assert nearest_rank(list(range(1, 11)), 90) == 9


def test_it_times_each_stage_from_raised_to_its_first_step(ledger):
    clock = _clock(EarlyWarning.objects.all())
    assert clock.warnings == 7
    assert _figures(clock.stages) == {
        Step.ACKNOWLEDGED: (4, 4 * H, 10 * H),
        Step.ON_AGENDA: (3, 3 * D, 5 * D),
        Step.DECIDED: (2, 10 * D, 20 * D),
        Step.PLAN_ADOPTED: (1, 12 * D, 12 * D),
        Step.FIRST_ACTION_DONE: (1, 20 * D, 20 * D),
    }


def test_it_groups_by_region_kind_and_severity(ledger):
    groupings = {g.by: g.groups for g in _clock(EarlyWarning.objects.all()).groupings}
    regions = {g.label: (g.warnings, _figures(g.stages)) for g in groupings["region"]}
    assert regions["Region A"][0] == 5
    assert regions["Region A"][1][Step.ACKNOWLEDGED] == (3, 4 * H, 6 * H)
    assert regions["Region B"] == (2, {
        Step.ACKNOWLEDGED: (1, 10 * H, 10 * H), Step.ON_AGENDA: (1, D, D), Step.DECIDED: (0, None, None),
        Step.PLAN_ADOPTED: (0, None, None), Step.FIRST_ACTION_DONE: (0, None, None),
    })
    assert [(g.key, g.warnings) for g in groupings["kind"]] == [(K.ALERT, 4), (K.RISK_RISE, 2), (K.ESCALATION, 1)]
    kinds = {g.key: _figures(g.stages) for g in groupings["kind"]}
    assert kinds[K.ALERT][Step.ON_AGENDA] == (2, 3 * D, 5 * D)
    assert kinds[K.RISK_RISE][Step.ACKNOWLEDGED] == (2, 6 * H, 10 * H)
    assert [(g.key, g.warnings) for g in groupings["severity"]] == [
        (S.IMMINENT, 1), (S.SEVERE, 1), (S.SERIOUS, 3), (S.ELEVATED, 2)
    ]


def test_it_counts_every_period_when_none_is_chosen(ledger):
    clock = _clock(EarlyWarning.objects.all(), period=None)
    assert clock.warnings == 8
    assert _figures(clock.stages)[Step.ACKNOWLEDGED] == (5, 4 * H, 10 * H)


def test_it_lists_the_warning_response_gap_oldest_first(ledger):
    clock = _clock(EarlyWarning.objects.all())
    assert clock.gap_count == 4
    assert [(r.warning, r.days_open) for r in clock.gap] == [
        (ledger["w6"], 56), (ledger["w3"], 40), (ledger["w4"], 40), (ledger["w5"], 40)
    ]


def test_it_takes_the_gap_as_it_stood_at_an_earlier_moment(ledger):
    def gap_at(now):
        clock = clock_figures(warnings=EarlyWarning.objects.all(), period=None, now=now, gap_days=10, gap_limit=50)
        return [r.warning for r in clock.gap]

    # On day 15, w2 was not yet decided (day 20) and is in the gap; w1 was (day 10); w7 was closed (day 1).
    assert gap_at(T0 + 15 * D) == [ledger["w6"], ledger["w2"], ledger["w3"], ledger["w4"], ledger["w5"]]
    assert gap_at(T0 + 21 * D) == [ledger["w6"], ledger["w3"], ledger["w4"], ledger["w5"]]


def test_it_counts_only_the_warnings_the_reader_may_see(ledger, chair_b):
    clock = _clock(warnings_visible_to(chair_b, EarlyWarning.objects.all()))
    assert clock.warnings == 2
    assert [g.label for g in clock.groupings[0].groups] == ["Region B"]
    assert [r.warning for r in clock.gap] == [ledger["w4"], ledger["w5"]]


def test_it_reads_in_four_queries(ledger, django_assert_num_queries):
    # the warnings with their first steps, the regions' names, the gap's count and its oldest rows
    with django_assert_num_queries(4):
        _clock(EarlyWarning.objects.all())


def test_it_shows_durations_in_hours_then_days():
    assert duration_text(None) == "—"
    assert duration_text(dt.timedelta(hours=2.5)) == "2.5 h"
    assert duration_text(dt.timedelta(hours=47)) == "47 h"
    assert duration_text(dt.timedelta(days=3)) == "3 d"
    assert duration_text(dt.timedelta(days=3, hours=6)) == "3.2 d"
