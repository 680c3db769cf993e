"""One error format for the whole API:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}

`fields` is present only for validation errors. Django's own 404 and 403 (raised by the
permission module) are turned into DRF's first, every 404 with the same words, so that an
object out of scope reads exactly like one that does not exist.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    """The request is well formed but the object moved on: a stale lock version, a scan that
    already exists, a draft submitted meanwhile."""

    status_code = 409
    default_detail = gettext_lazy("The object changed since you read it.")
    default_code = "conflict"


LOCK_MAX = 2**31 - 1  # lock_version is a database integer: a larger one is refused as invalid


Refusals = type[Exception] | tuple[type[Exception], ...]


@contextmanager
def service_refusals(*, stale: Refusals, invalid: Refusals, refusal: Refusals):
    """An app's service refusals as the API's answers (the service's transaction has already rolled
    back): a stale edit (or something already done) is 409, per-field errors (`exc.errors`) 400 with
    fields, any other refusal 400."""
    try:
        yield
    except stale as exc:
        raise Conflict(str(exc)) from None
    except invalid as exc:
        raise exceptions.ValidationError({name: [message] for name, message in exc.errors.items()}) from None
    except refusal as exc:
        raise refused(exc) from None


def refused(message) -> exceptions.ValidationError:
    """A request a service refused as a whole (not one field): a 400 under `non_field_errors`."""
    return exceptions.ValidationError({"non_field_errors": [str(message)]})


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500 handling and logging take over
    if isinstance(exc, exceptions.ValidationError):
        error = {"code": "invalid", "message": _("Some fields are not valid."), "fields": _as_fields(exc.detail)}
    else:
        detail = getattr(exc, "detail", None) or response.data
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        error = {"code": codes if isinstance(codes, str) else "error", "message": str(detail)}
    response.data = {"error": {"status": response.status_code, **error}}
    return response


def _as_fields(detail):
    if isinstance(detail, dict):
        return {name: _as_messages(value) for name, value in detail.items()}
    return {"non_field_errors": _as_messages(detail)}


def _as_messages(value):
    if isinstance(value, dict):
        return {name: _as_messages(v) for name, v in value.items()}
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return [str(v) for v in value]
        return [_as_messages(v) for v in value]
    return [str(value)]


class NoSuchEndpoint(APIView):
    """The last route under /api/v1/: a path no endpoint matches answers 404 in the one error
    format too, not with the site's HTML page."""

    authentication_classes = []
    permission_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("No endpoint at this address."))
