import datetime as dt

import factory

from hruf.models import Country, Region, Role, RoleAssignment, User
from hruf.permissions import forget_scope
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
    forget_scope(user)
    return user


def file_scan(
    country: Country, officer: User, period: Period, rating: int = 1, *, restricted: bool = False,
    evidence: str = "Seen by the team.", today: dt.date | None = None,
) -> Scan:
    """Start and submit a scan with every indicator at `rating`, through the services."""
    scan = services.scan_start(country=country, period=period, actor=officer, today=today or dt.date(2100, 1, 1))
    revision = scan.revisions.get()
    data = {
        r.pk: services.RatingData(rating=rating, trend="stable", evidence=evidence, confidence="medium", restricted=restricted)
        for r in revision.ratings.all()
    }
    services.scan_submit(revision=revision, actor=officer, lock_version=revision.lock_version, ratings=data, narrative="n")
    scan.refresh_from_db()
    return scan


def quarters_before(day: dt.date, count: int) -> list[Period]:
    """`count` quarterly periods ending with the one before `day`'s quarter, oldest first."""
    periods = [Period.containing(day, "quarterly").previous()]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods




def bulk_history(countries, periods: list[Period], officer: User, rating_for=lambda country, i: 1) -> None:
    """Submitted scans for many countries at once, written in bulk (for query-count tests on big data)."""
    from django.utils import timezone

    from scans.models import MatrixVersion, Rating, ScanRevision
    from scans.scoring import RatingInput, score_ratings

    version = MatrixVersion.objects.current()
    indicators = list(version.indicators.all())
    scans = Scan.objects.bulk_create(
        Scan(country=c, period=p.code, period_kind=p.kind, period_start=p.start, created_by=officer)
        for c in countries
        for p in periods
    )
    now = timezone.now()
    revisions, values = [], []
    for i, scan in enumerate(scans):
        value = rating_for(scan.country, i % len(periods))
        values.append(value)
        result = score_ratings([RatingInput(key=str(n), label="", rating=value) for n in range(len(indicators))])
        revisions.append(
            ScanRevision(
                scan=scan, number=1, status="submitted", matrix_version=version, saved_by=officer, submitted_at=now,
                score=result.score, tier=result.tier, worsening=0,
            )
        )
    revisions = ScanRevision.objects.bulk_create(revisions)
    Rating.objects.bulk_create(
        Rating(revision=r, indicator=ind, rating=value, trend="stable", evidence="e")
        for r, value in zip(revisions, values, strict=True)
        for ind in indicators
    )
    for scan, revision in zip(scans, revisions, strict=True):
        scan.submitted_revision = revision
    Scan.objects.bulk_update(scans, ["submitted_revision"])


__all__ = ["CountryFactory", "RegionFactory", "Role", "UserFactory", "bulk_history", "file_scan", "grant", "quarters_before"]
