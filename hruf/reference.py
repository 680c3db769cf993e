"""Reference data for people's scope: regions, the 193 UN member states, lead entities.

Country names and ISO codes come from the country table shipped in hruf/data (its
UNmember column marks the member states), never typed here. Regions are editable in
the admin; the default grouping follows the UN's regional reviews and country teams.
Loading is idempotent: rows are matched on their codes and updated, never duplicated.
"""

from __future__ import annotations

import re

from .countries import member_state_rows
from .translated import translations_apply

REGIONS = {
    "africa": "Africa",
    "arab-states": "Arab States",
    "asia-pacific": "Asia and the Pacific",
    "europe-central-asia": "Europe and Central Asia",
    "latin-america-caribbean": "Latin America and the Caribbean",
}

# Member states covered by the Arab States regional teams (UNDP's regional bureau grouping).
ARAB_STATES = {
    "DZA", "BHR", "DJI", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY", "MAR",
    "OMN", "QAT", "SAU", "SOM", "SDN", "SYR", "TUN", "ARE", "YEM",
}  # fmt: skip
# Western Asian states outside the Arab States that the Europe and Central Asia teams cover.
WESTERN_ASIA_IN_EUROPE = {"ARM", "AZE", "CYP", "GEO", "ISR", "TUR"}

ENTITIES = {
    "EOSG": "Executive Office of the Secretary-General",
    "DPPA": "Department of Political and Peacebuilding Affairs",
    "DPO": "Department of Peace Operations",
    "OHCHR": "Office of the High Commissioner for Human Rights",
    "UNDP": "United Nations Development Programme",
    "OCHA": "Office for the Coordination of Humanitarian Affairs",
    "OSAPG": "Office of the Special Adviser on the Prevention of Genocide",
    "UNHCR": "Office of the United Nations High Commissioner for Refugees",
    "UNICEF": "United Nations Children's Fund",
    "RCO": "Resident Coordinator's Office",
    "UNOWAS": "UN Office for West Africa and the Sahel",
    "UNOCA": "UN Regional Office for Central Africa",
    "UNRCCA": "UN Regional Centre for Preventive Diplomacy for Central Asia",
    "PBSO": "Peacebuilding Support Office",
}


def iso2_of(row: dict) -> str:
    # A few rows hold a pattern of accepted codes ("^GB$|^UK$"); the first is the ISO one.
    return re.findall(r"[A-Z]{2}", row["ISO2"])[0]


def region_code_for(row: dict) -> str:
    iso3, continent, subregion = row["ISO3"], row["continent"], row["UNregion"]
    if iso3 in ARAB_STATES:
        return "arab-states"
    if continent == "Africa":
        return "africa"
    if continent == "Europe" or subregion == "Central Asia" or iso3 in WESTERN_ASIA_IN_EUROPE:
        return "europe-central-asia"
    if subregion == "Northern America":
        # Not covered by a regional review of their own; grouped with Europe by default (editable).
        return "europe-central-asia"
    if continent == "America":
        return "latin-america-caribbean"
    return "asia-pacific"


def load_places(apps) -> dict[str, int]:
    Region = apps.get_model("hruf", "Region")
    Country = apps.get_model("hruf", "Country")
    Entity = apps.get_model("hruf", "Entity")
    regions = {}
    for code, name in REGIONS.items():
        regions[code], _ = Region.objects.get_or_create(code=code, defaults={"name": name})
    countries = 0
    for row in member_state_rows():
        # Existing countries keep the region an administrator gave them.
        _, created = Country.objects.update_or_create(
            iso3=row["ISO3"],
            defaults={"iso2": iso2_of(row), "name": row["name_short"], "official_name": row["name_official"]},
            create_defaults={
                "iso2": iso2_of(row),
                "name": row["name_short"],
                "official_name": row["name_official"],
                "region": regions[region_code_for(row)],
            },
        )
        countries += created
    for code, name in ENTITIES.items():
        Entity.objects.get_or_create(code=code, defaults={"name": name})
    translate_places(apps)
    return {"regions": len(regions), "countries_created": countries}


def translate_places(apps) -> None:
    translations_apply(apps.get_model("hruf", "Region"), ("name",))
    translations_apply(apps.get_model("hruf", "Entity"), ("name",))
