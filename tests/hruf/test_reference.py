from django.apps import apps

from hruf.models import Country, Entity, Region
from hruf.reference import load_places
from scans.models import Indicator, MatrixVersion, RiskFactor
from scans.reference import load_matrix


def test_it_loads_the_193_member_states_once_however_often_it_runs(db):
    load_places(apps)
    load_places(apps)
    real = Country.objects.filter(iso3__regex=r"^[A-Z]{3}$")
    assert real.count() == 193
    assert real.filter(iso2__regex=r"^[A-Z]{2}$").count() == 193
    assert Country.objects.get(iso3="GBR").iso2 == "GB"
    assert Region.objects.filter(code__in=["africa", "arab-states", "asia-pacific", "europe-central-asia",
                                           "latin-america-caribbean"]).count() == 5
    assert Country.objects.get(iso3="EGY").region.code == "arab-states"
    assert Country.objects.get(iso3="KAZ").region.code == "europe-central-asia"
    assert Entity.objects.filter(code="OHCHR").exists()


def test_it_keeps_the_region_an_administrator_chose(db):
    load_places(apps)
    africa = Region.objects.get(code="africa")
    Country.objects.filter(iso3="EGY").update(region=africa)
    load_places(apps)
    assert Country.objects.get(iso3="EGY").region == africa


def test_the_default_matrix_maps_every_indicator_to_risk_factors(db):
    load_matrix(apps)
    load_matrix(apps)
    assert RiskFactor.objects.count() == 14
    version = MatrixVersion.objects.current()
    assert version.number == 1 and version.indicators.count() == 10
    assert not Indicator.objects.filter(risk_factors__isnull=True).exists()
    assert set(Indicator.objects.get(code="hate-speech").risk_factors.values_list("number", flat=True)) == {8, 9, 10}


def test_the_migrations_load_their_frozen_copies_not_the_live_loaders(db):
    """History must not move when a loader is edited: the data migrations read their own JSON."""
    from pathlib import Path

    for path in ("hruf/migrations/0002_reference_places.py", "scans/migrations/0002_default_matrix.py",
                 "followup/migrations/0002_action_templates.py"):
        source = Path(path).read_text()
        assert ".reference import" not in source and "FROZEN" in source, path
    # What the migrations loaded (the test database is migrated) is the full reference set.
    assert Country.objects.filter(iso3__regex=r"^[A-Z]{3}$").count() == 193
    assert Country.objects.get(iso3="CIV").iso2 == "CI" and Country.objects.get(iso3="MLI").region.code == "africa"
    assert RiskFactor.objects.count() == 14 and MatrixVersion.objects.current().indicators.count() == 10
    assert apps.get_model("followup", "ActionTemplate").objects.count() == 14


def test_the_country_table_is_read_through_one_reader_without_pandas():
    import sys

    from hruf.countries import country_rows, member_state_rows

    assert len(member_state_rows()) == 193 and len(country_rows()) > 193  # territories too, for name matching
    assert {"ISO3": "CIV", "name_short": "Côte d'Ivoire"}.items() <= next(r for r in country_rows() if r["ISO3"] == "CIV").items()
    assert "pandas" not in sys.modules
