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
