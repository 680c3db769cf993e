"""Who has passed the second step, and keeping those who must pass it away from everything else."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as StockOTPMiddleware
from django_otp.models import Device

from . import state

# Reachable while a code or an enrolment is still owed.
OPEN_VIEWS = {"two_factor_verify", "two_factor_setup", "logout", "set_language", "language_set"}
STEP_VIEW = {state.VERIFY: "two_factor_verify", state.ENROL: "two_factor_setup"}


class OTPMiddleware(StockOTPMiddleware):
    """django-otp's middleware, except that the verifying device is not read on every request.

    The stock one loads the device named in the session on each request (a query on every page).
    Here `is_verified()` trusts the session, and `require_second_factor` re-reads the device at most
    once a minute (state.recheck_if_stale), dropping the verification if the device is gone.
    """

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            user.is_verified = functools.partial(state.is_verified, request.session)
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            if persistent_id:
                user.otp_device = SimpleLazyObject(functools.partial(Device.from_persistent_id, persistent_id))
        return user


def _is_open(request) -> bool:
    try:
        return resolve(request.path_info).view_name in OPEN_VIEWS
    except Resolver404:
        return False


def require_second_factor(get_response):
    """After the password: a person with a device types a code; EOSG and administrators without one enrol."""

    def middleware(request):
        user = request.user
        if user.is_authenticated:
            state.recheck_if_stale(request.session, user)
            need = request.session.get(state.NEED_KEY)
            if need and not user.is_verified() and not _is_open(request):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(STEP_VIEW[need])}?{query}")
        return get_response(request)

    return middleware
