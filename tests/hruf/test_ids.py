"""hruf.ids: ids typed in forms and links are parsed once; a garbled one is a clean 404, never a 500."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from hruf.ids import object_id, object_id_or_404


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("42", 42), (42, 42), ("007", 7), (None, None), ("", None), ("abc", None), ("-1", None), ("0", None),
        ("1e3", None), ("2.5", None), (" 4", None), ("２", None), ("\x00", None), ("1" * 19, None),
        ("9" * 18, int("9" * 18)),
    ],
)
def test_it_reads_a_positive_decimal_id_and_nothing_else(raw, parsed):
    assert object_id(raw) == parsed


def test_it_answers_404_for_a_garbled_id():
    assert object_id_or_404("17") == 17
    with pytest.raises(Http404):
        object_id_or_404("17x")


@pytest.mark.parametrize("raw", ["abc", "-1", "99999999999999999999", "%00"])
def test_a_garbled_source_for_a_new_plan_is_404(login, eosg, raw):
    assert login(eosg).get(reverse("followup:plan_create"), {"alert": raw}).status_code == 404


@pytest.mark.parametrize("raw", ["abc", "", "1e3", "99999999999999999999"])
def test_a_garbled_meeting_for_a_pack_is_404(login, eosg, raw, time_machine):
    time_machine.move_to(dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC), tick=False)
    response = login(eosg).post(reverse("briefings:pack_request"), {"kind": "rqr", "meeting": raw})
    assert response.status_code == 404


def test_a_garbled_notification_id_marks_nothing_and_goes_back_to_the_inbox(login, owner):
    response = login(owner).post(reverse("inbox_mark_read"), {"notification": "abc"})
    assert response.status_code == 302 and response["Location"] == reverse("inbox")
