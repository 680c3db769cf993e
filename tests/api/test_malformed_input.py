"""Malformed input is a 400 in the one error format, never a 500: JSON nested past the recursion limit,
an id filter past any id."""

import pytest

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("path", ["/api/v1/alerts/", "/api/v1/scans/", "/api/v1/plans/"])
def test_a_body_nested_too_deeply_is_refused_as_bad_input(api, assert_error, officer_a, path):
    response = api(officer_a).generic("POST", path, DEEP, content_type="application/json")
    assert "nested too deeply" in assert_error(response, 400)["message"]


@pytest.mark.parametrize("path", ["/api/v1/actions/?plan=", "/api/v1/benchmarks/?action=", "/api/v1/plans/?country="])
def test_an_id_filter_out_of_range_is_refused_as_bad_input(api, assert_error, eosg, path):
    assert_error(api(eosg).get(path + "1" + "0" * 22), 400)
