"""Compare-and-set (hruf/concurrency.py): a row read earlier is written only if it still holds what
was read; a stale lock_version is refused with StaleEdit and nothing is written."""

import datetime as dt

import pytest
from django.db.models import F, Q

from followup import services as followup
from hruf.concurrency import StaleEdit, bump, compare_and_set
from reviews import services as reviews
from reviews.models import Meeting
from scans import services as scans

DAY = dt.date(2026, 9, 25)


@pytest.fixture
def meeting(sag):
    return reviews.sag_create(actor=sag, date=DAY, members=[sag])


def test_it_writes_only_while_the_row_holds_what_was_read(meeting):
    assert compare_and_set(Meeting, pk=meeting.pk, expected={"state": Meeting.State.PREPARATION},
                           new={"state": Meeting.State.PUBLISHED})
    # A second writer that read the same state finds the row moved on and writes nothing.
    assert not compare_and_set(Meeting, pk=meeting.pk, expected={"state": Meeting.State.PREPARATION},
                               new={"state": Meeting.State.CLOSED})
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.PUBLISHED


def test_a_row_outside_the_queryset_or_the_condition_is_not_written(meeting):
    assert not compare_and_set(Meeting.objects.filter(kind=Meeting.Kind.RQR), pk=meeting.pk,
                               new={"state": Meeting.State.CLOSED})
    assert not compare_and_set(Meeting, pk=meeting.pk, where=Q(date__gt=DAY), new={"state": Meeting.State.CLOSED})
    assert compare_and_set(Meeting, pk=meeting.pk, where=Q(date=DAY), new={"lock_version": F("lock_version") + 5})
    assert Meeting.objects.get(pk=meeting.pk).lock_version == 5


def test_a_bump_with_the_current_lock_version_writes_and_counts_one_more(meeting):
    bump(meeting, lock_version=0, state=Meeting.State.PUBLISHED)
    assert (meeting.lock_version, meeting.state) == (1, Meeting.State.PUBLISHED)  # the caller's copy follows
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.lock_version, stored.state) == (1, Meeting.State.PUBLISHED)


def test_a_stale_bump_is_refused_with_its_message_and_writes_nothing(meeting):
    other_tab = Meeting.objects.get(pk=meeting.pk)
    bump(meeting, lock_version=0)
    with pytest.raises(StaleEdit, match="The agenda moved on"):
        bump(other_tab, lock_version=0, message="The agenda moved on.", state=Meeting.State.CLOSED)
    with pytest.raises(StaleEdit, match="nothing of yours was saved"):  # the default words
        bump(other_tab, lock_version=0)
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.lock_version, stored.state) == (1, Meeting.State.PREPARATION)
    assert other_tab.lock_version == 0


def test_a_bump_refused_by_its_condition_is_stale_too(meeting):
    with pytest.raises(StaleEdit):
        bump(meeting, lock_version=0, expected={"state": Meeting.State.HELD}, state=Meeting.State.CLOSED)
    assert Meeting.objects.get(pk=meeting.pk).lock_version == 0


def test_every_app_refuses_a_stale_edit_with_the_one_stale_edit():
    assert scans.StaleEdit is reviews.StaleEdit is followup.StaleEdit is StaleEdit

