"""Formula neutralisation and cell conversion: pure functions, no database."""

import datetime as dt
from decimal import Decimal

import pytest

from exports.cells import csv_cell, neutralise, xlsx_cell


@pytest.mark.parametrize(
    "text", ["=1+1", "+41 22 917 1234", "-2", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://x")']
)
def test_it_puts_an_apostrophe_before_text_a_spreadsheet_would_run(text):
    assert neutralise(text) == "'" + text
    assert csv_cell(text) == "'" + text
    assert xlsx_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Massacre in the north", "1+1=2", "a=b", "", "'already quoted", " =spaced"])
def test_it_leaves_other_text_alone(text):
    assert neutralise(text) == text
    assert csv_cell(text) == text


@pytest.mark.parametrize("number", [-5, 0, 3, -2.5, Decimal("-1.5")])
def test_it_keeps_numbers_as_numbers_even_negative(number):
    assert neutralise(number) == number
    assert csv_cell(number) == number
    assert xlsx_cell(number) == number


def test_it_writes_empty_cells_for_none():
    assert csv_cell(None) == ""
    assert xlsx_cell(None) is None


def test_it_writes_times_in_utc_without_a_zone():
    moment = dt.datetime(2026, 9, 25, 14, 30, 15, 123, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert csv_cell(moment) == "2026-09-25 12:30:15"
    assert xlsx_cell(moment) == dt.datetime(2026, 9, 25, 12, 30, 15)
    assert csv_cell(dt.date(2026, 9, 25)) == "2026-09-25"
    assert xlsx_cell(dt.date(2026, 9, 25)) == dt.date(2026, 9, 25)


def test_it_drops_control_characters_that_xlsx_cannot_hold_then_neutralises():
    assert xlsx_cell("\x01=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert xlsx_cell("line one\nline two\ttab") == "line one\nline two\ttab"


def test_it_refuses_a_boolean_that_would_come_out_as_true_or_false():
    with pytest.raises(TypeError):
        csv_cell(True)
