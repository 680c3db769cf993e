"""What the commitment tests share: a Q3 review of region A that records a decision on country A, how each
kind of commitment is fulfilled, and each kind's due moment and ladder (tests/reviews/conftest.py holds
the `decided` fixture)."""

import datetime as dt

from followup import services as followup
from hruf.models import Entity
from reviews import services
from reviews.models import Decision
from scans.periods import Period

Q3, Q4 = Period.parse("2026-Q3"), Period.parse("2026-Q4")
RECORDED = dt.datetime(2026, 10, 15, 9, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def publish(meeting, actor):
    meeting.refresh_from_db()
    services.agenda_publish(meeting=meeting, actor=actor, lock_version=meeting.lock_version)
    return meeting


def record(item, chair, decision, reason="Killings in the north"):
    item.refresh_from_db()
    return services.item_record(item=item, actor=chair, lock_version=item.lock_version, summary="s", agreed_tier="",
                                agreed_tier_reason="", decision=decision, decision_reason=reason, dissent="")


def fulfil(kind, item, *, eosg, owner):
    """Do what the commitment of `kind` asks, through the service that does it."""
    if kind == "plan":
        draft = followup.ActionDraft(title="Deploy a light team", lead_entity=Entity.objects.get(code="OHCHR"),
                                     owner=owner, deadline=dt.date(2027, 6, 30))
        followup.plan_create(country=item.country, actor=eosg, title="Plan", actions=[draft], source_item=item)
    elif kind == "sag":
        meeting = services.sag_create(actor=eosg, date=dt.date(2026, 11, 20))
        services.sag_take(meeting=meeting, actor=eosg, lock_version=meeting.lock_version, source_item=item)
    elif kind == "enhanced":
        services.enhanced_reporting_decline(item=item, actor=eosg, reason="Monthly scans would add nothing")
    else:
        chair = item.meeting.chair
        meeting = services.rqr_create(actor=chair, region=item.meeting.region, quarter=Q4, date=dt.date(2026, 12, 10),
                                      chair=chair)
        publish(meeting, chair)


# decision, due after recording, and who each rung tells (in region A: its chair, then EOSG).
KINDS = {
    "plan": (Decision.PLAN, dt.datetime(2026, 10, 29, 9, tzinfo=dt.UTC), [{"chair_a"}, {"eosg"}]),
    "sag": (Decision.ESCALATE, dt.datetime(2026, 11, 14, 9, tzinfo=dt.UTC), [{"eosg"}]),
    "enhanced": (Decision.ENHANCED, dt.datetime(2026, 10, 29, 9, tzinfo=dt.UTC), [{"eosg"}]),
    # At the region's next review: by the end of the quarter after the one it was decided in.
    "monitor": (Decision.MONITOR, dt.datetime(2027, 4, 1, tzinfo=dt.UTC), [{"chair_a"}, {"eosg"}]),
}
