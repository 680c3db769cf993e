"""Writes for briefing packs: request one (a worker builds it after commit), build it, and the monthly briefing.

Building is claimed by compare-and-set (queued -> running), so a task delivered twice, a
second beat or a retry builds a pack once. A monthly briefing has a unique key per month:
however often the beat, the command or a person asks, there is one row per month.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hruf.concurrency import compare_and_set
from hruf.models import User
from reviews.models import Meeting
from scans.periods import MONTHLY, Period

from . import documents
from .models import BriefingPack

log = logging.getLogger(__name__)
Kind, State = BriefingPack.Kind, BriefingPack.State


class BriefingError(Exception):
    pass


def monthly_key(month: Period) -> str:
    return f"monthly:{month.code}"


def previous_month(today: dt.date) -> Period:
    return Period.containing(today, MONTHLY).previous()


def _stale_before(now: dt.datetime) -> dt.datetime:
    # A build that outlived the task time limit died with its worker: it may be claimed again.
    return now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def _claimable(now: dt.datetime) -> Q:
    # A failed monthly briefing is retried by the next beat or command; a failed meeting pack is
    # simply requested again (a new row), so its failure stays on record.
    return (
        Q(state=State.QUEUED)
        | Q(state=State.FAILED, key__isnull=False)
        | Q(state=State.RUNNING, started_at__lt=_stale_before(now))
    )


def _enqueue_after_commit(pack_id: int) -> None:
    def enqueue() -> None:
        from .tasks import pack_build_task

        try:
            pack_build_task.delay(pack_id)
        except Exception:  # broker down: the pack stays queued; asking again re-enqueues it
            log.warning("could not enqueue briefing pack %s", pack_id, exc_info=True)

    transaction.on_commit(enqueue)


def _language(language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _meeting_pack(*, meeting: Meeting, user: User | None, language: str) -> tuple[BriefingPack, bool]:
    if meeting.in_preparation:
        raise BriefingError(_("Publish the agenda first: a pack shows the figures frozen at publication."))
    if meeting.is_rqr:
        quarter = Period.parse(meeting.quarter)
        start, end = quarter.start, quarter.end
    else:
        start = end = meeting.date
    existing = BriefingPack.objects.in_flight().filter(meeting=meeting).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            pack = BriefingPack.objects.create(
                kind=meeting.kind, meeting=meeting, period_start=start, period_end=end, language=language,
                created_by=user,
            )
    except IntegrityError:  # a second click got there first: one job per meeting
        return BriefingPack.objects.in_flight().get(meeting=meeting), False
    return pack, True


def _monthly_pack(*, month: Period, user: User | None, language: str) -> tuple[BriefingPack, bool]:
    defaults = {
        "kind": Kind.MONTHLY, "period_start": month.start, "period_end": month.end, "language": language,
        "created_by": user,
    }
    try:
        with transaction.atomic():
            return BriefingPack.objects.get_or_create(key=monthly_key(month), defaults=defaults)
    except IntegrityError:  # two beats at once: the other one created it
        return BriefingPack.objects.get(key=monthly_key(month)), False


def pack_request(
    *, kind: str, actor: User | None, meeting: Meeting | None = None, month: Period | None = None,
    language: str | None = None,
) -> BriefingPack:
    """Queue a pack for a worker. A pack of the same meeting already queued or being made is
    returned instead of a second one; asking for a month's briefing again remakes that month's."""
    with transaction.atomic():
        return _pack_request(kind=kind, user=actor, meeting=meeting, month=month, language=_language(language))


def _pack_request(*, kind: str, user: User | None, meeting: Meeting | None, month: Period | None, language: str) -> BriefingPack:
    now = timezone.now()
    if kind in (Kind.RQR, Kind.SAG):
        if meeting is None or meeting.kind != kind:
            raise BriefingError(_("Choose a meeting of that kind."))
        pack, created = _meeting_pack(meeting=meeting, user=user, language=language)
    elif kind == Kind.MONTHLY:
        if month is None or month.kind != MONTHLY:
            raise BriefingError(_("Choose a month."))
        if month.start > timezone.localdate():
            raise BriefingError(_("That month has not started yet."))
        pack, created = _monthly_pack(month=month, user=user, language=language)
        if not created and pack.state in (State.DONE, State.FAILED):
            # Records come in late: asking again remakes the month's briefing in the same row.
            BriefingPack.objects.filter(pk=pack.pk, state=pack.state).update(
                state=State.QUEUED, error="", created_by=user, language=language
            )
            pack.refresh_from_db()
            created = True
    else:
        raise BriefingError(_("Unknown kind of pack."))
    stale = pack.state == State.QUEUED and pack.created_at < _stale_before(now)
    lost = pack.state == State.RUNNING and pack.started_at is not None and pack.started_at < _stale_before(now)
    if created or stale or lost:
        _enqueue_after_commit(pack.pk)
    return pack


def pack_build(*, pack_id: int, now: dt.datetime | None = None) -> bool:
    """Make the PDF of one pack. Returns False when there was nothing to claim or the build failed."""
    now = now or timezone.now()
    claimed = compare_and_set(
        BriefingPack, pk=pack_id, where=_claimable(now),
        new={"state": State.RUNNING, "started_at": now, "error": "", "finished_at": None},
    )
    if not claimed:
        return False
    pack = BriefingPack.objects.select_related("meeting__region").get(pk=pack_id)
    mine = BriefingPack.objects.filter(pk=pack_id, state=State.RUNNING, started_at=now)
    try:
        with translation.override(pack.language):
            html = documents.pack_html(pack)
        from .pdf import html_to_pdf  # WeasyPrint is slow to import: only builds pay for it

        data = html_to_pdf(html)
    except Exception as exc:
        log.exception("briefing pack %s failed", pack_id)
        mine.update(state=State.FAILED, error=f"{type(exc).__name__}: {exc}"[:1000], finished_at=timezone.now())
        return False
    name = default_storage.save(pack.file.field.generate_filename(pack, "pack.pdf"), ContentFile(data))
    if not mine.update(state=State.DONE, file=name, finished_at=timezone.now()):
        default_storage.delete(name)  # a later claim took the pack over; its file wins
        return False
    if pack.file.name:
        default_storage.delete(pack.file.name)  # the month's previous briefing, now remade
    return True


def monthly_briefing_make(*, actor: User | None, month: Period | None = None, today: dt.date | None = None) -> BriefingPack:
    """The beat's and the command's entry: the month's briefing (the previous month by default),
    made once. Run twice, it finds the month's row made and leaves it as it is."""
    today = today or timezone.localdate()
    month = month or previous_month(today)
    if month.kind != MONTHLY or month.start > today:
        raise BriefingError(_("That month has not started yet."))
    pack, _created = _monthly_pack(month=month, user=actor, language=settings.LANGUAGE_CODE)
    pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    return pack
