"""How long an enforcement sweep takes as open actions pile up (not a test: `make bench`).

Everything is written inside one transaction that is rolled back at the end, so the
database is left as it was. The sweep should cost in proportion to the actions that are
due, not to all the open ones: the ratio of the two timings should stay near 1.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from followup import enforcement
from followup.models import Action, Plan
from hruf.models import Country, Entity, Role, RoleAssignment, User
from scans.models import Alert


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the overdue and reminder sweeps with 10,000 and 100,000 open actions (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--due", type=int, default=200, help="actions that are due in each run")
        parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])

    def handle(self, *args, due, sizes, **options):
        self.stdout.write(f"{'open actions':>12} {'due':>5} {'overdue sweep':>14} {'reminder sweep':>15} {'ratio':>6}")
        results = time_sweeps(sizes=sizes, due=due)
        for size, overdue_s, reminder_s in results:
            self.stdout.write(
                f"{size:>12,} {due:>5} {overdue_s:>13.3f}s {reminder_s:>14.3f}s {overdue_s / results[0][1]:>6.2f}"
            )


def time_sweeps(*, sizes: list[int], due: int) -> list[tuple[int, float, float]]:
    """(open actions added, overdue sweep seconds, reminder sweep seconds) for each size, rolled back."""
    results = []
    for size in sizes:
        try:
            with transaction.atomic():
                results.append((size, *_run(size, due)))
                raise Rollback
        except Rollback:
            pass
    return results


def _run(size: int, due: int) -> tuple[float, float]:
    # Whatever the database already owes (bench data ages between runs) is swept first, untimed:
    # the timing is of the actions added here.
    enforcement.sweep_overdue()
    enforcement.sweep_reminders()
    today = timezone.localdate()
    country = Country.objects.order_by("pk").first()
    entity = Entity.objects.get_or_create(code="BENCH", defaults={"name": "Bench"})[0]
    owner = User.objects.create(username=f"bench-owner-{size}")
    RoleAssignment.objects.create(user=owner, role=Role.OWNER, entity=entity)
    alert = Alert.objects.create(country=country, title="bench", location="-", severity="serious",
                                 description="-", raised_by=owner)
    plan = Plan.objects.create(country=country, title="bench", source_alert=alert, created_by=owner)
    far = today + dt.timedelta(days=365)
    batch = [Action(plan=plan, title=f"a{i}", lead_entity=entity, owner=owner, deadline=far) for i in range(size - due)]
    batch += [Action(plan=plan, title=f"due{i}", lead_entity=entity, owner=owner,
                     deadline=today - dt.timedelta(days=30 if i % 2 else 0) + dt.timedelta(days=3 * (i % 2 == 0)))
              for i in range(due)]
    Action.objects.bulk_create(batch, batch_size=5000)
    start = time.perf_counter()
    enforcement.sweep_overdue()
    overdue_s = time.perf_counter() - start
    start = time.perf_counter()
    enforcement.sweep_reminders()
    return overdue_s, time.perf_counter() - start
