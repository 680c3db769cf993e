"""API fixtures: clients signed in as a persona (session or token) and a check of the one error format."""

import pytest
from rest_framework.test import APIClient

from hruf.models import ApiToken
from hruf.otp.state import need_of

from ..conftest import pass_second_factor


@pytest.fixture
def api(db):
    """`api(user)` is a DRF client signed in by session as `user` (second factor passed where one
    is owed); `api()` is anonymous."""

    def _api(user=None):
        client = APIClient()
        if user is not None:
            client.force_login(user)
            pass_second_factor(client, user)
        return client

    return _api


@pytest.fixture
def token_api(db):
    """`token_api(user)` is a client that authenticates only with the user's API token."""

    def _token_api(user):
        client = APIClient()
        _token, key = ApiToken.objects.create(user=user, name="tests", second_factor=bool(need_of(user)))
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return _token_api


def _assert_error(response, status: int, *, fields: tuple[str, ...] = ()) -> dict:
    """The response is `status` in the API's one error format; returns the error object."""
    assert response.status_code == status, (response.status_code, getattr(response, "data", response.content[:500]))
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status
    assert error["code"] and error["message"]
    for name in fields:
        assert name in error.get("fields", {}), error
    return error


@pytest.fixture
def assert_error():
    return _assert_error
