"""Who hears about a country or a region: one home for every notice's recipients.

An officer or chair counts when their account is active. A notice meant for a country's
officers goes, if the country has none, to its region's chairs, and if the region has none
either, to EOSG; a notice meant for a region's chairs goes to EOSG if it has none. A country
with no officer or a region with no chair is a coverage gap (shown to EOSG on the follow-up
dashboard, from the same `officer_roles` and `chair_roles`): its notices go one level up,
never to nobody (DOMAIN.md, "The field hears back").
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Country, Region, Role, RoleAssignment, User


def officer_roles() -> QuerySet[RoleAssignment]:
    """Officer roles held by active accounts: filter by country, or by OuterRef("pk") in an Exists."""
    return RoleAssignment.objects.filter(role=Role.OFFICER, user__is_active=True)


def chair_roles() -> QuerySet[RoleAssignment]:
    """Chair roles held by active accounts: filter by region, or by OuterRef in an Exists."""
    return RoleAssignment.objects.filter(role=Role.CHAIR, user__is_active=True)


def _holders(roles: QuerySet[RoleAssignment]) -> list[User]:
    return list(User.objects.filter(pk__in=roles.values("user_id")).order_by("pk"))


def _pk(obj: Country | Region | int) -> int:
    return obj if isinstance(obj, int) else obj.pk


def country_officers(country: Country | int) -> list[User]:
    """The country's active officers (perhaps none)."""
    return _holders(officer_roles().filter(country_id=_pk(country)))


def region_chairs(region: Region | int | None) -> list[User]:
    """The region's active chairs (perhaps none; none at all for no region)."""
    if region is None:
        return []
    return _holders(chair_roles().filter(region_id=_pk(region)))


def eosg_staff() -> list[User]:
    return _holders(RoleAssignment.objects.filter(role=Role.EOSG, user__is_active=True))


def sag_members() -> list[User]:
    return _holders(RoleAssignment.objects.filter(role=Role.SAG, user__is_active=True))


def sag_or_above() -> list[User]:
    """For a notice meant for the SAG: its members, or EOSG when there are none."""
    return sag_members() or eosg_staff()


def chairs_or_above(region: Region | int | None) -> list[User]:
    """For a notice meant for the region's chairs: them, or EOSG when the region has none."""
    return region_chairs(region) or eosg_staff()


def officers_or_above(country: Country) -> list[User]:
    """For a notice meant for the country's officers: them, or the region's chairs when the
    country has none, or EOSG when the region has none either."""
    return country_officers(country) or chairs_or_above(country.region_id)
