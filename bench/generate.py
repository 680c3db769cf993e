"""Years of the whole world in the bench database: ten by default, and a smaller size to show that each
page's cost stays flat as the data ages (bench/run.py measures both).

Scans, alerts, plans, actions, benchmarks and notifications are written in bulk (the services would
take hours); the meetings go through the review services, because only they know how to freeze an
agenda. Timestamps that Django sets itself (auto_now_add) are moved into the past with one UPDATE each.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Avg
from django.utils import timezone

from followup.reference import load_templates
from hruf.models import Country, Entity, Region, Role, RoleAssignment, User
from hruf.reference import load_places
from scans.models import Alert, Indicator, MatrixVersion, Rating, Scan, ScanRevision
from scans.periods import MONTHLY, Period
from scans.reference import load_matrix
from scans.scoring import RatingInput, score_ratings

from . import generate_followup

BATCH = 5000
EVIDENCE = [
    "Local monitors report incidents in two districts; corroborated by a partner organisation.",
    "Radio broadcasts and social media posts collected by the human rights adviser.",
    "Security reports and displacement figures from the protection cluster.",
]


@dataclass(frozen=True)
class Size:
    """How much history the data holds: everything that accrues with time grows with the years (the
    countries, people and reference data do not)."""

    years: int

    @property
    def actions(self) -> int:
        return 10_000 * self.years

    @property
    def alerts(self) -> int:
        return 800 * self.years

    @property
    def notifications(self) -> int:
        return 10_000 * self.years

    @property
    def quarters(self) -> int:
        return 4 * self.years

    def marker(self, today: dt.date) -> str:
        """What the data was made for: a different month or size means generating again."""
        return (f"hruf-bench v3: {self.years} years of monthly scans to {today:%Y-%m}, "
                f"{self.actions} actions, {self.alerts} alerts")


def generate(size: Size, log=print) -> None:
    rng = random.Random(2017)
    today = timezone.localdate()
    load_places(apps)
    load_matrix(apps)
    load_templates(apps)
    # Everyone reports monthly, as countries under enhanced reporting do.
    Country.objects.update(enhanced_reporting=True)
    started = time.monotonic()
    people = _people()
    log(f"  people: {User.objects.count()} ({time.monotonic() - started:.0f}s)")
    _scans(rng, today, people, size)
    log(f"  scans: {Scan.objects.count()}, ratings: {Rating.objects.count()} ({time.monotonic() - started:.0f}s)")
    _alerts(rng, today, people, size)
    log(f"  alerts: {Alert.objects.count()} ({time.monotonic() - started:.0f}s)")
    generate_followup.meetings(rng, today, people, log, quarters=size.quarters)
    log(f"  meetings ({time.monotonic() - started:.0f}s)")
    generate_followup.plans_and_actions(rng, today, people, count=size.actions)
    log(f"  plans and actions ({time.monotonic() - started:.0f}s)")
    generate_followup.notifications(rng, people, count=size.notifications, days=365 * size.years)
    log(f"  notifications ({time.monotonic() - started:.0f}s)")
    generate_followup.drafts(today, people)


def _people() -> dict:
    """One officer per country (the bench's officer has two), a chair per region, SAG, EOSG, and five
    focal points per entity."""
    users, roles = [], []

    def person(username: str) -> User:
        user = User(username=username, email=f"{username}@bench.example.org", first_name=username.split("-")[-1])
        user.set_unusable_password()
        users.append(user)
        return user

    countries = list(Country.objects.select_related("region").order_by("iso3"))
    officers = {c.pk: person(f"bench-officer-{c.iso3.lower()}") for c in countries}
    chairs = {r.pk: person(f"bench-chair-{r.code}") for r in Region.objects.all()}
    sag = [person(f"bench-sag-{i}") for i in range(10)]
    eosg = [person(f"bench-eosg-{i}") for i in range(5)]
    owners = {e.pk: [person(f"bench-owner-{e.code.lower()}-{i}") for i in range(5)] for e in Entity.objects.all()}
    User.objects.bulk_create(users, batch_size=BATCH)
    for c in countries:
        roles.append(RoleAssignment(user=officers[c.pk], role=Role.OFFICER, country=c))
    by_iso3 = {c.iso3: c for c in countries}
    roles.append(RoleAssignment(user=officers[by_iso3["MLI"].pk], role=Role.OFFICER, country=by_iso3["BFA"]))
    roles += [RoleAssignment(user=u, role=Role.CHAIR, region_id=pk) for pk, u in chairs.items()]
    roles += [RoleAssignment(user=u, role=Role.SAG) for u in sag]
    roles += [RoleAssignment(user=u, role=Role.EOSG) for u in eosg]
    roles += [RoleAssignment(user=u, role=Role.OWNER, entity_id=pk) for pk, us in owners.items() for u in us]
    RoleAssignment.objects.bulk_create(roles, batch_size=BATCH)
    driven = {  # the people the bench signs in as (bench/run.py finds them by these names)
        "officer": officers[by_iso3["MLI"].pk], "chair": chairs[Region.objects.get(code="africa").pk],
        "sag": sag[0], "eosg": eosg[0], "owner": owners[Entity.objects.get(code="OHCHR").pk][0],
    }
    return {"countries": countries, "officers": officers, "chairs": chairs, "sag": sag, "eosg": eosg,
            "owners": owners, "driven": driven}


def _months(today: dt.date, years: int) -> list[Period]:
    period = Period.containing(today, MONTHLY).previous()
    months = []
    for _ in range(12 * years):
        months.append(period)
        period = period.previous()
    return months[::-1]


def _scans(rng: random.Random, today: dt.date, people: dict, size: Size) -> None:
    """A monthly scan per country for every year of the size, each scored like a real one; a few amended."""
    version = MatrixVersion.objects.current()
    indicators = list(Indicator.objects.filter(version=version).order_by("position"))
    months = _months(today, size.years)
    for country in people["countries"]:
        officer = people["officers"][country.pk]
        level = rng.uniform(0.1, 2.0)  # the country's usual level; each month wanders around it
        previous = [round(level)] * len(indicators)
        scans, revisions, ratings = [], [], []
        for period in months:
            level = min(2.8, max(0.0, level + rng.gauss(0, 0.12)))
            values = [min(3, max(0, round(rng.gauss(level, 0.7)))) for _ in indicators]
            trends = ["worsening" if v > p else "improving" if v < p else "stable" for v, p in zip(values, previous, strict=True)]
            result = score_ratings([RatingInput(key=i.code, label=i.name, rating=v, trend=t)
                                    for i, v, t in zip(indicators, values, trends, strict=True)])
            submitted = dt.datetime.combine(period.due_date, dt.time(10), tzinfo=dt.UTC)
            scan = Scan(country=country, period=period.code, period_kind=MONTHLY, period_start=period.start,
                        created_by=officer)
            amended = rng.random() < 0.02
            for number in (1, 2) if amended else (1,):
                revision = ScanRevision(
                    scan=scan, number=number, status=ScanRevision.Status.SUBMITTED, matrix_version=version,
                    narrative=f"Situation in {country.name}, {period.code}.", saved_by=officer,
                    amendment_reason="Corrected after a field mission." if number == 2 else "",
                    submitted_at=submitted + dt.timedelta(days=number - 1),
                    score=result.score, tier=result.tier, worsening=result.worsening,
                )
                revisions.append(revision)
                ratings += [
                    Rating(revision=revision, indicator=i, rating=v, trend=t,
                           evidence=rng.choice(EVIDENCE) if v >= 2 else "", confidence="medium",
                           restricted=v == 3 and rng.random() < 0.3)
                    for i, v, t in zip(indicators, values, trends, strict=True)
                ]
            scans.append(scan)
            previous = values
        with transaction.atomic():
            Scan.objects.bulk_create(scans)
            for r in revisions:
                r.scan_id = r.scan.pk
            ScanRevision.objects.bulk_create(revisions)
            for r in ratings:
                r.revision_id = r.revision.pk
            Rating.objects.bulk_create(ratings, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE scans_scan s SET submitted_revision_id = r.id, created_at = s.period_start
            FROM scans_scanrevision r
            WHERE r.scan_id = s.id AND r.number = (SELECT max(number) FROM scans_scanrevision x WHERE x.scan_id = s.id)
        """)
        cursor.execute("UPDATE scans_scanrevision SET saved_at = submitted_at WHERE submitted_at IS NOT NULL")


def _alerts(rng: random.Random, today: dt.date, people: dict, size: Size) -> None:
    countries = people["countries"]
    # Alerts cluster where risk is high: weight each country by its mean score.
    weights = dict(ScanRevision.objects.submitted().values_list("scan__country_id").annotate(Avg("score")))
    chosen = rng.choices(countries, weights=[(weights.get(c.pk) or 1) + 1 for c in countries],
                         k=size.alerts)
    alerts, raised_at = [], []
    for country in chosen:
        raised_at.append(timezone.now() - dt.timedelta(days=rng.uniform(1, 365 * size.years)))
        alerts.append(Alert(
            country=country, title=f"Attack on civilians near {country.name}'s border", location="Border district",
            severity=rng.choice(Alert.Severity.values), description="Witnesses describe armed men targeting a village.",
            evidence=rng.choice(EVIDENCE), evidence_restricted=rng.random() < 0.5,
            raised_by=people["officers"][country.pk],
        ))
    Alert.objects.bulk_create(alerts, batch_size=BATCH)
    for alert, moment in zip(alerts, raised_at, strict=True):  # auto_now_add stamped them all with now
        alert.raised_at = moment
    Alert.objects.bulk_update(alerts, ["raised_at"], batch_size=1000)
