"""Demo data: a user for every role, a West African region with two years of scans,
last quarter's review recorded (one case escalated to the SAG, one follow-up plan with actions
on time, due soon and overdue) and this quarter's review in preparation.

Idempotent: users are matched on username; a country that already has scans gets no more.
"""

import datetime as dt
import random

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from followup import capacity
from followup import services as followup_services
from followup.models import ActionTemplate, Deployment, Plan
from followup.reference import load_templates
from hruf.models import Country, Entity, Region, Role, RoleAssignment, User
from hruf.reference import load_places, translate_places
from reviews import services as review_services
from reviews.models import Decision, Meeting
from scans import services
from scans.models import Alert, Scan, ScanRevision
from scans.periods import Period, current_period
from scans.reference import load_matrix

DEMO_PASSWORD = "hruf-demo-2026"
DEMO_REGION = ("west-central-africa-demo", "West and Central Africa (demo)")
DEMO_COUNTRIES = ["BEN", "BFA", "CMR", "CIV", "GHA", "GIN", "MLI", "NER", "NGA", "SEN", "TCD"]
ENHANCED = "MLI"
# Typical level of each country's ratings (0-3) in the demo; the walk wanders around it.
BASE_RISK = {"BEN": 0.4, "BFA": 1.6, "CMR": 1.4, "CIV": 0.8, "GHA": 0.3, "GIN": 0.9, "MLI": 1.9,
             "NER": 1.5, "NGA": 1.3, "SEN": 0.3, "TCD": 1.2}  # fmt: skip

USERS = [
    # username, first, last, role, scope
    ("officer.mali", "Aminata", "Traoré", Role.OFFICER, ["MLI", "BFA"]),
    ("officer.niger", "Moussa", "Issoufou", Role.OFFICER, ["NER"]),
    ("chair.westafrica", "Grace", "Mensah", Role.CHAIR, DEMO_REGION[0]),
    ("chair.asia", "Li", "Wei", Role.CHAIR, "asia-pacific"),
    ("sag.member", "Helena", "Santos", Role.SAG, None),
    ("owner.ohchr", "Omar", "Haddad", Role.OWNER, "OHCHR"),
    ("owner.undp", "Ines", "Moreau", Role.OWNER, "UNDP"),
    ("owner.dppa", "Kwame", "Asante", Role.OWNER, "DPPA"),
    ("eosg.staff", "Claire", "Dubois", Role.EOSG, None),
    ("admin", "Ada", "Admin", Role.ADMIN, None),
]

EVIDENCE = [
    "Local monitors report incidents in two districts; corroborated by a partner NGO.",
    "Radio broadcasts and social media posts collected by the human rights adviser.",
    "UN security reports and displacement figures from the protection cluster.",
    "Interviews with community leaders during a field mission.",
]


class Command(BaseCommand):
    help = "Load demo users and two years of scans (idempotent)."

    def handle(self, *args, **options):
        load_places(apps)
        load_matrix(apps)
        load_templates(apps)
        rng = random.Random(2016)
        with transaction.atomic():
            region = self._region()
            users = {spec[0]: self._user(spec, region) for spec in USERS}
        officer = users["officer.mali"]
        for iso3 in DEMO_COUNTRIES:
            country = Country.objects.get(iso3=iso3)
            if not Scan.objects.filter(country=country).exists():
                self._history(country, officer, rng)
        niger = Country.objects.get(iso3="NER")
        if not Alert.objects.filter(country=niger).exists():
            services.alert_raise(
                country=niger, actor=users["officer.niger"], title="Armed men attacked a market; 30 civilians killed",
                location="Tillabéri region", severity=Alert.Severity.SEVERE,
                description="Survivors say the attackers singled out one community and warned of more attacks.",
                evidence="Two survivor testimonies collected by the RC office (names withheld).", language="en",
            )
        self._reviews(users["chair.westafrica"], Region.objects.get(code=DEMO_REGION[0]))
        self._plan(users)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000 with:"))
        for username, _first, _last, role, _scope in USERS:
            self.stdout.write(f"  {username:<18} {Role(role).label:<24} password: {DEMO_PASSWORD}")

    def _reviews(self, chair: User, region: Region) -> None:
        if Meeting.objects.filter(region=region).exists():
            return
        today = timezone.localdate()
        current = Period.containing(today, "quarterly")
        last = current.previous()
        meeting = review_services.rqr_create(actor=chair, region=region, quarter=last, date=last.end - dt.timedelta(days=5), chair=chair)
        review_services.agenda_publish(meeting=meeting, actor=chair, lock_version=meeting.lock_version)
        for i, item in enumerate(meeting.items.included().order_by("position")):
            decision = [Decision.ESCALATE, Decision.PLAN].pop(i) if i < 2 else Decision.MONITOR
            review_services.item_record(
                item=item, actor=chair, lock_version=item.lock_version,
                summary="The review discussed the latest scan and the field team's assessment.",
                agreed_tier="", agreed_tier_reason="", dissent="",
                decision=decision,
                decision_reason={
                    Decision.ESCALATE: "Armed groups are mobilising along community lines.",
                    Decision.PLAN: "Hate speech ahead of the elections calls for preventive engagement.",
                }.get(decision, ""),
            )
        review_services.meeting_advance(actor=chair, meeting=meeting, lock_version=meeting.lock_version)
        review_services.rqr_create(actor=chair, region=region, quarter=current, date=current.end - dt.timedelta(days=5), chair=chair)

    def _plan(self, users) -> None:
        """A plan for the RQR's "adopt a plan" decision: one action overdue, one due soon, one later."""
        if Plan.objects.exists():
            return
        item = Meeting.objects.rqr().filter(state=Meeting.State.HELD).get().items.get(decision=Decision.PLAN)
        today = timezone.localdate()
        picks = [
            ("Deploy or extend a human rights adviser", "owner.ohchr", 30),
            ("Deploy a peace and development adviser", "owner.undp", 5),
            ("Engage national authorities", "owner.dppa", 60),
        ]
        drafts = []
        for title, owner, days in picks:
            template = ActionTemplate.objects.get(title=title)
            owner_user = users[owner]
            drafts.append(followup_services.ActionDraft(
                title=title, description=template.description, template=template, owner=owner_user,
                lead_entity=owner_user.roles.get().entity, deadline=today + dt.timedelta(days=days),
            ))
        plan = followup_services.plan_create(
            country=item.country, actor=users["eosg.staff"], title=f"Preventive engagement in {item.country.name}",
            source_item=item, actions=drafts,
        )
        # The adviser deployment fell behind: its deadline passed three weeks ago.
        plan.actions.filter(title=picks[0][0]).update(deadline=today - dt.timedelta(days=22))
        # The surge board's register: an adviser in the plan's country for three more months, and the peace and
        # development adviser the plan asks for, due next month.
        eosg = users["eosg.staff"]
        capacity.deployment_save(actor=eosg, deployment=Deployment(
            country=item.country, kind=Deployment.Kind.HUMAN_RIGHTS_ADVISER, entity=Entity.objects.get(code="OHCHR"),
            starts_on=today - dt.timedelta(days=300), arrived_on=today - dt.timedelta(days=290),
            ends_on=today + dt.timedelta(days=80)))
        capacity.deployment_save(actor=eosg, deployment=Deployment(
            country=item.country, kind=Deployment.Kind.PEACE_AND_DEVELOPMENT_ADVISER,
            entity=Entity.objects.get(code="UNDP"), starts_on=today + dt.timedelta(days=30),
            requested_by=plan.actions.get(title=picks[1][0])))

    def _region(self) -> Region:
        region, _ = Region.objects.get_or_create(code=DEMO_REGION[0], defaults={"name": DEMO_REGION[1]})
        translate_places(apps)
        Country.objects.filter(iso3__in=DEMO_COUNTRIES).update(region=region)
        Country.objects.filter(iso3=ENHANCED).update(enhanced_reporting=True)
        return region

    def _user(self, spec, region) -> User:
        username, first, last, role, scope = spec
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.save()
        if role == Role.OFFICER:
            for iso3 in scope:
                RoleAssignment.objects.get_or_create(user=user, role=role, country=Country.objects.get(iso3=iso3))
        elif role == Role.CHAIR:
            RoleAssignment.objects.get_or_create(user=user, role=role, region=Region.objects.get(code=scope))
        elif role == Role.OWNER:
            RoleAssignment.objects.get_or_create(user=user, role=role, entity=Entity.objects.get(code=scope))
        else:
            RoleAssignment.objects.get_or_create(user=user, role=role)
        return user

    def _history(self, country: Country, user: User, rng: random.Random) -> None:
        today = timezone.localdate()
        if country.iso3 == ENHANCED and not country.case_indicators.exists():
            services.case_indicator_add(
                country=country, actor=user, name="Attacks between Fulani and Dogon communities in Mopti region",
                question="Are armed attacks between the two communities continuing or spreading?", language="en",
            )
        current = current_period(country, today)
        count = 24 if current.kind == "monthly" else 8
        periods = [current]
        for _ in range(count):
            periods.insert(0, periods[0].previous())
        level = BASE_RISK[country.iso3]
        for period in periods:
            is_current = period == current
            if is_current and country.iso3 not in {"MLI", "NER", "CMR"} and rng.random() < 0.5:
                continue  # the current period's scan is not started yet
            scan = services.scan_start(country=country, period=period, actor=user, today=today)
            revision = scan.revisions.get()
            level = min(2.8, max(0.0, level + rng.uniform(-0.35, 0.4)))
            data = {}
            for rating in revision.ratings.select_related("indicator"):
                value = max(0, min(3, round(rng.gauss(level, 0.8))))
                old = rating.rating
                trend = "" if old is None else ("worsening" if value > old else "improving" if value < old else "stable")
                data[rating.pk] = services.RatingData(
                    rating=value, trend=trend, confidence=rng.choice(["low", "medium", "high"]),
                    evidence=rng.choice(EVIDENCE) if value >= 1 else "", restricted=value == 3 and rng.random() < 0.3,
                )
            kwargs = dict(
                revision=revision, actor=user, lock_version=revision.lock_version, ratings=data,
                narrative=f"Situation in {country.name} during {period}: see the indicators.", language="en",
            )
            if is_current and country.iso3 in {"MLI", "NER", "CMR"}:
                services.scan_save_draft(**kwargs)  # an unfinished draft for the current period
                continue
            services.scan_submit(**kwargs)
            ScanRevision.objects.filter(pk=revision.pk).update(
                submitted_at=timezone.make_aware(dt.datetime.combine(min(period.due_date, today), dt.time(9)))
            )
