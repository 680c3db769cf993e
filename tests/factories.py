import datetime as dt

import factory

from hruf.models import Country, Region, Role, RoleAssignment, User
from scans import services
from scans.models import Scan
from scans.periods import Period


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"test-region-{n}")
    name = factory.Sequence(lambda n: f"Test region {n}")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country

    # Digits never clash with the real ISO codes loaded by the reference migration.
    iso2 = factory.Sequence(lambda n: f"{n % 100:02d}")
    iso3 = factory.Sequence(lambda n: f"Z{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Testland {n}")
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery")


def grant(user: User, role: str, *, country=None, region=None, entity=None) -> User:
    RoleAssignment.objects.create(user=user, role=role, country=country, region=region, entity=entity)
    user.__dict__.pop("_hruf_scope", None)
    return user


def file_scan(
    country: Country, officer: User, period: Period, rating: int = 1, *, restricted: bool = False,
    evidence: str = "Seen by the team.", today: dt.date | None = None,
) -> Scan:
    """Start and submit a scan with every indicator at `rating`, through the services."""
    scan = services.scan_start(country=country, period=period, user=officer, today=today or dt.date(2100, 1, 1))
    revision = scan.revisions.get()
    data = {
        r.pk: services.RatingData(rating=rating, trend="stable", evidence=evidence, confidence="medium", restricted=restricted)
        for r in revision.ratings.all()
    }
    services.scan_submit(revision=revision, user=officer, lock_version=revision.lock_version, ratings=data, narrative="n")
    scan.refresh_from_db()
    return scan


def quarters_before(day: dt.date, count: int) -> list[Period]:
    """`count` quarterly periods ending with the one before `day`'s quarter, oldest first."""
    periods = [Period.containing(day, "quarterly").previous()]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods


__all__ = ["CountryFactory", "RegionFactory", "Role", "UserFactory", "file_scan", "grant", "quarters_before"]
