"""The commitments' sweep with two at once, and racing the services that fulfil: each rung is recorded once
and told once, none lost, and a fulfilled commitment is never told after it was met (STYLE.md point 5).

As tests/scans/test_ledger_concurrency.py: several connections share the database, so these run on
PostgreSQL (CI sets DATABASE_URL).
"""

import datetime as dt
import threading
from collections import Counter

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from hruf.models import Notification
from reviews import services
from reviews.commitment_sweeps import sweep_commitments
from reviews.commitments import commitment_fulfil
from reviews.models import AgendaItem, Commitment, CommitmentStep, Decision
from scans.periods import Period

from ..factories import CountryFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL (CI)"
    ),
]
N = 30


def _at_once(*jobs) -> list:
    """Run each job in its own thread, released together; their results in the jobs' order, or the first error."""
    barrier, results, errors = threading.Barrier(len(jobs)), {}, []

    def run(n, job):
        try:
            barrier.wait()
            results[n] = job()
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(results) == len(jobs), "a job did not finish in time"
    return [results[n] for n in range(len(jobs))]


def _overdue_plans(region, chair, now) -> list[AgendaItem]:
    """N plan commitments of one review of the region, all past due by a month (both rungs due)."""
    meeting = services.rqr_create(actor=chair, region=region, quarter=Period.parse("2026-Q3"),
                                  date=dt.date(2026, 9, 20), chair=chair)
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, country=CountryFactory(region=region), decision=Decision.PLAN) for _ in range(N)
    )
    Commitment.objects.bulk_create(
        Commitment(item=i, kind="plan", created_at=now - dt.timedelta(days=44), due_at=now - dt.timedelta(days=30))
        for i in items
    )
    return items


def _told() -> Counter:
    return Counter((n.params["item_id"], n.params["rung"], n.recipient.username)
                   for n in Notification.objects.filter(code="reviews.commitment_missed").select_related("recipient"))


def test_two_sweeps_at_once_tell_each_rung_once(region_a, chair_a, eosg):
    now = timezone.now()
    items = _overdue_plans(region_a, chair_a, now)
    results = _at_once(lambda: sweep_commitments(now=now), lambda: sweep_commitments(now=now))
    assert sum(r.done for r in results) == 2 * N and sum(r.failed for r in results) == 0
    assert CommitmentStep.objects.filter(kind="missed").count() == 2 * N
    told = _told()
    assert set(told.values()) == {1}
    assert set(told) == {(i.pk, 1, "chair_a") for i in items} | {(i.pk, 2, "eosg") for i in items}


def test_a_sweep_racing_the_fulfilments_never_tells_a_commitment_met_before_its_rung(region_a, chair_a, eosg):
    now = timezone.now()
    items = _overdue_plans(region_a, chair_a, now)

    def fulfil_all():
        return sum(commitment_fulfil(item=i, kinds=("plan",), actor=eosg) is not None for i in items)

    _sweep, fulfilled = _at_once(lambda: sweep_commitments(now=now), fulfil_all)
    assert fulfilled == N  # a claimed rung never stops the thing being done
    for c in Commitment.objects.all():
        steps = list(c.steps.order_by("at", "pk").values_list("kind", "rung"))
        missed = [rung for kind, rung in steps if kind == "missed"]
        assert c.state == "fulfilled" and missed == list(range(1, c.ladder_step + 1))
        assert steps[-1] == ("met", 0)  # nothing was told after it was met
    assert sum(_told().values()) == CommitmentStep.objects.filter(kind="missed").count()
    assert sweep_commitments(now=now + dt.timedelta(days=30)).done == 0
