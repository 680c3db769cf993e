"""Risk maps (issue 18, item 2): the shapes, one shape per country with its title and its table on each
page that draws one, the marks, a frozen agenda's map, the briefing's month-end map."""

import dataclasses
import datetime as dt
import re
from importlib import metadata

import pytest
from django.core.cache import caches
from django.urls import reverse

from briefings.selectors import monthly_briefing
from hruf import world_shapes
from hruf.countries import member_state_rows
from hruf.models import Country, Role, User
from reviews import services as review_services
from reviews.models import Meeting
from scans import services
from scans.models import EarlyWarning, WarningStep
from scans.periods import Period
from scans.risk_map import TIER_FILL

from ..factories import CountryFactory, UserFactory, file_scan, grant

pytestmark = pytest.mark.usefixtures("matrix")
TODAY = dt.date(2026, 12, 5)  # 2026-Q4's quarterly scans were due on 29 November
Q2, Q3, Q4 = Period.parse("2026-Q2"), Period.parse("2026-Q3"), Period.parse("2026-Q4")
MEMBERS = frozenset(r["ISO3"] for r in member_state_rows())


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC), tick=False)


def _figure(html: str, dom_id: str) -> str:
    start = html.index(f'<figure class="risk-map mb-3" id="{dom_id}">')
    return html[start:html.index("</figure>", start)]


def _shapes(figure: str) -> dict[str, str]:
    """Each drawn country's code and the title inside its group (the tooltip)."""
    svg = figure[:figure.index("</svg>")]
    groups = re.findall(r'<g class="map-country" data-iso3="(\w+)".*?>\s*<title>([^<]*)</title>(.*?)</g>', svg, re.S)
    return {code: (title, body) for code, title, body in groups}


def _table_rows(figure: str) -> list[str]:
    table = figure[figure.index("<tbody>"):figure.index("</tbody>")]
    return re.findall(r'<th scope="row"><a href="/countries/(\w+)/">', table)


def _scanned(iso3: str, ratings: dict[Period, int]) -> Country:
    """A member state with its officer and a scan per period, every indicator at the period's rating."""
    country = Country.objects.get(iso3=iso3)
    officer = grant(UserFactory(username=f"officer_{iso3.lower()}"), Role.OFFICER, country=country)
    for period, rating in ratings.items():
        file_scan(country, officer, period, rating=rating)
    return country


@pytest.fixture
def niger():
    """Rising from Q2 to Q3, no Q4 scan (overdue), one open warning."""
    country = _scanned("NER", {Q2: 0, Q3: 2})
    services.alert_raise(country=country, actor=User.objects.get(username="officer_ner"), title="Attack",
                         location="Tillabéri", severity="serious", description="d")
    return country


@pytest.fixture
def mali():
    """Falling from Q3 to Q4, Q4 submitted."""
    return _scanned("MLI", {Q3: 3, Q4: 1})


def test_every_member_state_has_a_shape_inside_the_world_frame():
    drawing = world_shapes.drawing(MEMBERS, True)
    assert set(drawing.shapes) == MEMBERS and len(MEMBERS) == 193
    left, top, width, height = map(float, drawing.view_box.split())
    for code, shape in drawing.shapes.items():
        assert shape.path.startswith("M") and shape.path.endswith("z"), code
        assert left <= shape.marker[0] <= left + width and top <= shape.marker[1] <= top + height, code


def test_a_region_is_framed_on_its_countries_home_parts():
    world_width = float(world_shapes.drawing(MEMBERS, True).view_box.split()[2])
    # France's overseas departments (French Guiana, Réunion) are part of its shape but do not widen the frame.
    europe = world_shapes.drawing(frozenset({"FRA", "DEU", "ESP"}), False)
    assert float(europe.view_box.split()[2]) < world_width / 8
    # Fiji, Tuvalu and Samoa lie on both sides of the 180th meridian: framed together, not across the world.
    pacific = world_shapes.drawing(frozenset({"FJI", "TUV", "WSM"}), False)
    assert float(pacific.view_box.split()[2]) < world_width / 8
    assert set(pacific.shapes) == {"FJI", "TUV", "WSM"} and pacific.land  # the neighbours drawn as land


def test_every_ring_drawn_has_at_least_three_points():
    """An empty ring ("M1 2lz") makes a browser stop drawing the rest of its path: Italy lost Sicily,
    and the world's background land (one path) lost most of its countries."""
    drawing = world_shapes.drawing(MEMBERS, True)
    for path in [drawing.land, *(s.path for s in drawing.shapes.values())]:
        for ring in re.findall(r"M[^M]*", path):
            steps = ring.split("l", 1)[1].rstrip("z").split()
            assert len(steps) >= 4, ring  # two relative steps at least (four numbers)
    assert drawing.shapes["ITA"].path.count("M") >= 3  # the mainland, Sicily, Sardinia


def test_a_large_country_is_framed_on_its_mainland_with_its_marker_inside():
    china = world_shapes.drawing(frozenset({"CHN"}), False)
    left, top, width, height = map(float, china.view_box.split())
    assert width > 120  # the mainland (73° to 135° E), not Hainan
    x, y = china.shapes["CHN"].marker
    assert left <= x <= left + width and top <= y <= top + height


def test_a_ring_across_the_frames_antimeridian_is_kept_not_dropped():
    usa = world_shapes.countries("world")["USA"]
    centred_on_europe, on_greenwich = world_shapes._shape(usa, 20.0), world_shapes._shape(usa, 0.0)
    assert centred_on_europe.path.count("M") == on_greenwich.path.count("M")  # Alaska's mainland included


def test_the_country_list_draws_one_shape_per_country_with_its_title_and_the_same_table(login, eosg, niger, mali):
    unknown = CountryFactory(name="Testland without shapes", region=niger.region)
    figure = _figure(login(eosg).get(reverse("scans:country_list")).content.decode(), "risk-map")
    shapes = _shapes(figure)
    assert set(shapes) == MEMBERS  # one group per country, each with its title
    assert sorted(_table_rows(figure)) == sorted(MEMBERS | {unknown.iso3})
    assert "Not drawn (no shape in the map data)" in figure and "Testland without shapes" in figure

    niger_title, niger_body = shapes["NER"]
    warnings = EarlyWarning.objects.open().filter(country=niger).count()
    assert niger_title.startswith("Niger: ") and "rising by" in niger_title and f"{warnings} open warning" in niger_title
    assert "Overdue" in niger_title
    assert 'href="#risk-map-NER" fill="url(#risk-map-hatch)"' in niger_body  # the overdue scan hatched
    assert "<polygon" in niger_body and "<circle" in niger_body  # ▲ and the warning's dot
    mali_title, mali_body = shapes["MLI"]
    assert "falling by" in mali_title and "hatch" not in mali_body
    no_scan_title, no_scan_body = shapes["FRA"]
    assert no_scan_title == "France: No scan yet; Overdue" and "<polygon" not in no_scan_body


def test_the_fills_follow_the_tiers(login, eosg, niger, mali):
    figure = _figure(login(eosg).get(reverse("scans:country_list")).content.decode(), "risk-map")
    tiers = dict(Country.objects.filter(iso3__in=["NER", "MLI"]).values_list("iso3", "scans__submitted_revision__tier")
                 .order_by("scans__period_start"))
    fills = dict(re.findall(r'data-iso3="(\w+)" fill="(#\w+)"', figure))
    assert fills["NER"] == TIER_FILL[tiers["NER"]] and fills["MLI"] == TIER_FILL[tiers["MLI"]]
    assert fills["FRA"] == "#ffffff"


def test_svg_numbers_keep_their_dot_in_french(login, officer_a, country_a):
    niger = Country.objects.get(iso3="NER")
    grant(officer_a, Role.OFFICER, country=niger)
    figure = _figure(login(officer_a).get(reverse("scans:country_list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode(),
                     "risk-map")
    assert "Pays" in login(officer_a).get(reverse("scans:country_list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    svg = figure[:figure.index("</svg>")]
    numbers = re.findall(r'(?:stroke-width|width|height|r|cx|cy)="([^"]*)"', svg)
    assert numbers and all("," not in n for n in numbers), numbers
    # An officer's map is framed on their countries, not the world.
    assert set(_shapes(figure)) == {"NER"}


def test_the_eosg_dashboard_draws_the_world_and_a_region_when_filtered(login, eosg, niger):
    client = login(eosg)
    world = _figure(client.get(reverse("followup:dashboard")).content.decode(), "risk-map")
    assert set(_shapes(world)) == MEMBERS
    region = _figure(client.get(reverse("followup:dashboard"), {"region": niger.region_id}).content.decode(), "risk-map")
    in_region = set(Country.objects.filter(region=niger.region).values_list("iso3", flat=True))
    assert set(_shapes(region)) == in_region and float(region.split('viewBox="')[1].split()[2]) < 400


def test_a_published_agenda_keeps_the_map_it_was_published_with(login, niger):
    chair = grant(UserFactory(username="chair_ner"), Role.CHAIR, region=niger.region)
    meeting = review_services.rqr_create(actor=chair, region=niger.region, quarter=Q3, date=dt.date(2026, 9, 25),
                                         chair=chair)
    client = login(chair)
    live = _shapes(_figure(client.get(reverse("reviews:meeting_detail", args=[meeting.pk])).content.decode(),
                           "region-map"))
    assert "rising by" in live["NER"][0]
    meeting.refresh_from_db()
    review_services.agenda_publish(meeting=meeting, actor=chair, lock_version=meeting.lock_version)
    officer = UserFactory(username="late_officer")
    grant(officer, Role.OFFICER, country=niger)
    file_scan(niger, officer, Q4, rating=0)  # Niger falls after the agenda was published
    frozen = _figure(client.get(reverse("reviews:meeting_detail", args=[meeting.pk])).content.decode(), "region-map")
    assert "as frozen when the agenda was published" in frozen
    assert _shapes(frozen)["NER"][0] == live["NER"][0]
    assert set(_shapes(frozen)) == set(Country.objects.filter(region=niger.region).values_list("iso3", flat=True))


def test_the_monthly_briefing_maps_the_world_as_the_month_left_it(niger, mali, time_machine):
    # Niger's warnings: one answered (put on an agenda) within December, one after it, one still open, one
    # raised in January: two were open when December ended.
    warnings = list(EarlyWarning.objects.filter(country=niger))
    base = warnings[0]
    EarlyWarning.objects.filter(country=niger).delete()
    moments = [(dt.datetime(2026, 12, 1, tzinfo=dt.UTC), dt.datetime(2026, 12, 20, tzinfo=dt.UTC)),
               (dt.datetime(2026, 12, 2, tzinfo=dt.UTC), dt.datetime(2027, 1, 5, tzinfo=dt.UTC)),
               (dt.datetime(2026, 12, 3, tzinfo=dt.UTC), None),
               (dt.datetime(2027, 1, 2, tzinfo=dt.UTC), None)]
    for i, (raised, answered) in enumerate(moments):
        base.pk, base.alert, base.scan, base.revision = None, None, None, None
        base.kind, base.period = EarlyWarning.Kind.SILENCE, f"T{i}"
        base.raised_at, base.act_by, base.closed_at = raised, raised, None
        base.state = EarlyWarning.State.ON_AGENDA if answered else EarlyWarning.State.RAISED
        base.save(force_insert=True)
        if answered:  # put on an agenda: answered, though not closed
            WarningStep.objects.create(warning=base, kind=WarningStep.Kind.ON_AGENDA, key=f"map-{i}", at=answered)
    time_machine.move_to(dt.datetime(2027, 1, 10, 12, tzinfo=dt.UTC), tick=False)
    briefing = monthly_briefing(Period.parse("2026-12"), today=dt.date(2027, 1, 10))
    entries = {c.entry.iso3: c.entry for c in briefing.risk_map.countries}
    assert set(entries) == {c.iso3 for c in Country.objects.all()}
    assert entries["NER"].open_warnings == 2
    assert entries["MLI"].open_warnings == EarlyWarning.objects.open().filter(country=mali).count()
    # By the end of December, Q4 was due (29 November): Niger's is missing, Mali's is in.
    assert entries["NER"].scan_missing and entries["NER"].scan_label == "No scan for 2026-Q4"
    assert not entries["MLI"].scan_missing
    assert entries["FRA"].tier == "" and entries["FRA"].scan_missing


def test_the_shapes_are_kept_in_var_and_an_unwritable_var_costs_only_time(settings, tmp_path):
    version, tolerance, smallest = (metadata.version(world_shapes.PACKAGE), world_shapes.TOLERANCE["world"],
                                    world_shapes.SMALLEST_PART["world"])
    kept = f"world-shapes-{world_shapes.FORMAT}-{version}-world-{tolerance}-{smallest}.json"
    settings.VAR_DIR = tmp_path
    world_shapes.countries.cache_clear()
    try:
        made = world_shapes.countries("world")
        assert [p.name for p in tmp_path.iterdir()] == [kept]
        world_shapes.countries.cache_clear()
        assert world_shapes.countries("world") == made  # read back from the file
        not_a_folder = tmp_path / "var"
        not_a_folder.write_text("")
        settings.VAR_DIR = not_a_folder  # nothing can be written under it
        world_shapes.countries.cache_clear()
        assert world_shapes.countries("world") == made
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([kept, "var"])
    finally:
        world_shapes.countries.cache_clear()


def test_a_frame_drawn_by_one_process_is_read_by_the_others(settings, monkeypatch):
    """A worker that never drew a frame, or has drawn 32 others since, reads it from the shared fragments cache
    instead of projecting every shape near it again for the first reader after a write."""
    settings.CACHES = {**settings.CACHES, "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                        "LOCATION": "world-drawings-tests"}}
    caches["fragments"].clear()
    sahel = frozenset({"MLI", "NER"})
    world_shapes.drawing.cache_clear()
    try:
        drawn = world_shapes.drawing(sahel, False)
        assert caches["fragments"].get(world_shapes.drawing_key(sahel, False)) == drawn
        world_shapes.drawing.cache_clear()  # another process: nothing in its own memory
        kept = dataclasses.replace(drawn, land="M0 0l1 0 0 1z")
        caches["fragments"].set(world_shapes.drawing_key(sahel, False), kept)
        assert world_shapes.drawing(sahel, False) == kept
    finally:
        world_shapes.drawing.cache_clear()
    # Another frame, or a drawing made differently, is another key.
    key = world_shapes.drawing_key(sahel, False)
    assert key not in (world_shapes.drawing_key(sahel, True), world_shapes.drawing_key(frozenset({"MLI"}), False))
    monkeypatch.setattr(world_shapes, "DRAWING_FORMAT", world_shapes.DRAWING_FORMAT + 1)
    assert world_shapes.drawing_key(sahel, False) != key


def test_a_sag_meeting_has_no_region_map(login, sag):
    meeting = review_services.sag_create(actor=sag, date=dt.date(2026, 12, 20))
    niger = Country.objects.get(iso3="NER")
    row = {"rank": 1, "country_id": niger.pk, "name": niger.name, "score": 60, "tier": "high", "change": 5,
           "worsening": 1, "alerts": 0, "missing": False, "enhanced": False, "period": "2026-Q4", "revision_id": None,
           "open_actions": 0, "overdue_actions": 0, "warnings": 0, "reasons": []}
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.PUBLISHED, snapshot=[row])  # as SAG packs keep
    html = login(sag).get(reverse("reviews:meeting_detail", args=[meeting.pk])).content.decode()
    assert "risk-map" not in html and 'aria-labelledby="-title"' not in html


def test_the_briefing_says_submitted_only_of_a_scan_that_was_filed(mali):
    briefing = monthly_briefing(Period.parse("2026-10"), today=dt.date(2026, 12, 5))
    entries = {c.entry.iso3: c.entry for c in briefing.risk_map.countries}
    # At the end of October, 2026-Q4 was not yet due (29 November): nothing is missing, nothing was filed.
    assert not entries["FRA"].scan_missing and entries["FRA"].scan_label == "No scan for 2026-Q4"
    assert entries["MLI"].scan_label == "No scan for 2026-Q4"  # its Q4 scan came in later


def test_the_map_lists_countries_alphabetically_in_the_readers_language(login, eosg):
    html = login(eosg).get(reverse("scans:country_list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    rows = _table_rows(_figure(html, "risk-map"))
    assert rows.index("EGY") < rows.index("FRA") < rows.index("ZWE")  # Égypte among the E's
