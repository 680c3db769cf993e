"""A simulated year of warnings (tests/reviews/warnings_year.py): every warning ends on an agenda,
deferred with a reason, or escalated; no "rising" notice for a fall; no repeat; each ladder step once;
imminent alerts emailed at once to digest readers."""

import pytest
from django.db.models import Max

from hruf.models import Country, Notification, User
from reviews.models import Meeting
from scans.models import EarlyWarning

from ..factories import CountryFactory
from .warnings_year import World, figures, simulate

pytestmark = pytest.mark.usefixtures("matrix")


@pytest.fixture
def world(region_a, region_b, country_a, country_b, country_c, officer_a, officer_b, chair_a, chair_b, sag, eosg,
          owner):
    d = CountryFactory(name="Country D", region=region_a)
    # The reference countries only slow the year down.
    Country.objects.exclude(pk__in=[country_a.pk, country_b.pk, country_c.pk, d.pk]).delete()
    User.objects.filter(pk=chair_a.pk).update(email_mode="digest")  # urgent mail must still go at once
    return World(region_a=region_a, region_b=region_b, a=country_a, b=country_b, c=country_c, d=d,
                 officer_a=officer_a, officer_b=officer_b, chair_a=chair_a, chair_b=chair_b, eosg=eosg, owner=owner)


def test_a_year_of_warnings_leaves_none_unanswered(world, time_machine):
    simulate(world, time_machine)
    last = dict(Meeting.objects.rqr().values_list("region_id").annotate(last=Max("published_at")))
    year = figures(last)
    print("\n".join(["", "A simulated year of warnings:", *year.lines()]))

    assert set(year.raised) == {"alert", "risk_rise", "silence", "escalation"}
    assert year.answered == year.answerable > 0  # goal: 100%
    assert year.false_rising == 0
    assert year.duplicate_notices == 0
    assert year.chase_steps_repeated == 0 and year.chased.get(1, 0) >= 1 and year.chased.get(2, 0) >= 1
    assert year.escalated_to_sag == 1
    # The silent country has no officer: its chair heard of it; the low-risk one that stopped did not count.
    silences = EarlyWarning.objects.filter(kind="silence")
    assert {w.country.name for w in silences} == {"Country C"}
    assert Notification.objects.filter(code="scans.warning_silence", recipient=world.chair_b).count() == silences.count()
    # A digest reader got every imminent alert and every chase at once.
    urgent = Notification.objects.filter(recipient=world.chair_a, code__in=["scans.alert_raised", "scans.warning_unacknowledged"],
                                         params__severity="imminent")
    assert urgent.exists() and not urgent.filter(email_state="digest").exists()
