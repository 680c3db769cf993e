"""JSON nested past the recursion limit is malformed input: 400 in the one error format, not a 500."""

import pytest

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("path", ["/api/v1/alerts/", "/api/v1/scans/", "/api/v1/plans/"])
def test_a_body_nested_too_deeply_is_refused_as_bad_input(api, assert_error, officer_a, path):
    response = api(officer_a).generic("POST", path, DEEP, content_type="application/json")
    assert "nested too deeply" in assert_error(response, 400)["message"]
