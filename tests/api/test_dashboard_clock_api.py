"""GET /api/v1/dashboard/ carries the warning-to-response clock, the page's figures in hours."""

import datetime as dt

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS

from scans.models import EarlyWarning, WarningStep

DASHBOARD = "/api/v1/dashboard/"
RAISED = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 10, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def warnings(country_a, country_c):
    """Acknowledged after 2 h (country A) and after 6 h (country C); A's put on an agenda after 3 days."""
    made = []
    for n, (country, ack) in enumerate([(country_a, 2), (country_c, 6)]):
        w = EarlyWarning.objects.create(country=country, kind="risk_rise", severity="elevated", raised_at=RAISED, act_by=RAISED)
        WarningStep.objects.create(warning=w, kind="acknowledged", key=f"a{n}", at=RAISED + dt.timedelta(hours=ack))
        made.append(w)
    WarningStep.objects.create(warning=made[0], kind="on_agenda", key="g0", at=RAISED + dt.timedelta(days=3))
    return made


def test_it_gives_the_clock_with_the_dashboard(api, eosg, warnings, country_a):
    clock = api(eosg).get(DASHBOARD, {"clock_period": "2026-Q1", "gap_days": 60}).json()["clock"]
    assert clock["period"] == "2026-Q1" and clock["warnings"] == 2
    stages = {s["stage"]: (s["count"], s["median_hours"], s["p90_hours"]) for s in clock["stages"]}
    assert stages["acknowledged"] == (2, 2.0, 6.0)
    assert stages["on_agenda"] == (1, 72.0, 72.0)
    assert stages["decided"] == (0, None, None)
    regions = next(g for g in clock["groupings"] if g["by"] == "region")["groups"]
    assert [(g["label"], g["warnings"]) for g in regions] == [("Region A", 1), ("Region B", 1)]
    assert clock["gap_days"] == 60 and clock["gap_count"] == 2
    assert clock["gap"][0] == {
        "id": warnings[0].pk, "country": country_a.iso3, "kind": "risk_rise", "severity": "elevated",
        "state": "raised", "raised_at": "2026-01-10T00:00:00Z", "days_open": 90,
    }


def test_the_clock_follows_the_region_filter(api, eosg, warnings, region_b):
    clock = api(eosg).get(DASHBOARD, {"region": region_b.pk}).json()["clock"]
    assert clock["period"] is None and clock["warnings"] == 1 and clock["gap_days"] == 30


@pytest.mark.parametrize("params", [{"clock_period": "2026-Q9"}, {"gap_days": 0}])
def test_a_bad_clock_choice_is_refused(api, eosg, assert_error, params):
    assert_error(api(eosg).get(DASHBOARD, params), 400, fields=tuple(params))


def test_the_schema_describes_the_clock(tmp_path):
    GENERATOR_STATS.reset()
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    names = {p["name"] for p in schema["paths"][DASHBOARD]["get"]["parameters"]}
    assert {"clock_period", "gap_days"} <= names
    components = schema["components"]["schemas"]
    assert "clock" in components["Dashboard"]["properties"]
    assert {"median_hours", "p90_hours", "count"} <= set(components["Stage"]["properties"])
