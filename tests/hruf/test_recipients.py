"""Who hears about a country or a region: its active officers and chairs, else one level up."""

import pytest

from hruf.models import Country, Role
from hruf.recipients import (
    chairs_or_above,
    country_officers,
    eosg_staff,
    officers_or_above,
    region_chairs,
    sag_or_above,
)

from ..factories import CountryFactory, RegionFactory, UserFactory, grant


def _names(users) -> list[str]:
    return sorted(u.username for u in users)


def test_it_names_a_countrys_active_officers_and_a_regions_active_chairs(
    country_a, country_b, region_a, officer_a, officer_b, chair_a, chair_b, eosg
):
    grant(UserFactory(username="gone_officer", is_active=False), Role.OFFICER, country=country_a)
    grant(UserFactory(username="gone_chair", is_active=False), Role.CHAIR, region=region_a)
    assert _names(country_officers(country_a)) == ["officer_a"]
    assert _names(region_chairs(region_a)) == ["chair_a"]
    assert _names(region_chairs(region_a.pk)) == ["chair_a"]
    assert _names(eosg_staff()) == ["eosg"]


def test_a_country_without_an_officer_is_heard_by_its_chair_then_eosg(country_a, region_a, chair_a, eosg):
    grant(UserFactory(username="gone_officer", is_active=False), Role.OFFICER, country=country_a)
    assert _names(officers_or_above(country_a)) == ["chair_a"]
    chair_a.is_active = False
    chair_a.save()
    assert _names(officers_or_above(country_a)) == ["eosg"]


def test_a_region_without_a_chair_is_heard_by_eosg(region_a, region_b, chair_b, eosg):
    assert _names(chairs_or_above(region_a)) == ["eosg"]
    assert _names(chairs_or_above(region_b)) == ["chair_b"]
    assert _names(chairs_or_above(None)) == ["eosg"]  # a meeting without a region (the SAG's) has no chair


def test_a_notice_for_the_sag_goes_to_eosg_when_it_has_no_member(eosg):
    assert _names(sag_or_above()) == ["eosg"]


def test_a_country_with_an_officer_is_heard_by_its_officer_only(country_a, officer_a, chair_a, eosg):
    assert _names(officers_or_above(country_a)) == ["officer_a"]


@pytest.mark.django_db
def test_nobody_is_ever_nobody_when_eosg_exists(eosg):
    staffed, bare = RegionFactory(), RegionFactory()
    grant(UserFactory(), Role.CHAIR, region=staffed)
    for region in (staffed, bare):
        covered = CountryFactory(region=region)
        grant(UserFactory(), Role.OFFICER, country=covered)
        CountryFactory(region=region)  # no officer
    # The reference countries too: none of them has an officer or a chair.
    for country in Country.objects.select_related("region"):
        assert officers_or_above(country), country
        assert chairs_or_above(country.region_id), country.region
