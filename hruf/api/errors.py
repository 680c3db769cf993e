"""One error format for the whole API:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}

`fields` is present only for validation errors. Django's own 404 and 403 (raised by the
permission module) arrive here already translated into DRF's exceptions.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
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
