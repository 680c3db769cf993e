"""The two-factor pages: the person's settings, enrolment, the code step after the password, turning it off."""

from __future__ import annotations

import math
from base64 import b32encode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ..post_only import post_only
from . import events, services, state
from .forms import CodeForm, FirstCodeForm


def _next(request) -> str:
    """Where the person was going, if it is on this site; '' otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this site only: anything else, given to redirect(), would be looked up as a view's name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


def _vouch(request, device) -> None:
    """The session now stands for a person who passed both steps: a new session key for the new privilege."""
    django_otp.login(request, device)
    request.session.cycle_key()
    state.remember_need(request.session, request.user)


@login_required
def two_factor(request):
    enabled = user_has_device(request.user, confirmed=True)
    return render(request, "registration/two_factor.html", {
        "enabled": enabled,
        "required": state.is_required_for(request.user),
        "backup_left": services.backup_codes_left(request.user) if enabled else 0,
        "form": CodeForm(),
    })


@login_required
def two_factor_setup(request):
    user = request.user
    if user_has_device(user, confirmed=True):
        # Adding or replacing a device needs the current one first, or a stolen password would do.
        if not user.is_verified():
            return redirect("two_factor_verify")
        messages.info(request, _("Two-factor sign-in is already on. Turn it off first to move it to another phone."))
        return redirect("two_factor")
    key = request.session.get(state.PENDING_KEY_KEY)
    if not key:
        key = request.session[state.PENDING_KEY_KEY] = random_hex(20)
    form = FirstCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolled = services.totp_enrol(actor=user, key=key, code=form.cleaned_data["code"])
        if enrolled is not None:
            device, codes = enrolled
            del request.session[state.PENDING_KEY_KEY]
            _vouch(request, device)
            events.record(request, events.OTP_ENROLLED, user)
            return render(request, "registration/two_factor_backup_codes.html", {"codes": codes, "next": _next(request) or reverse("home")})
        events.record(request, events.OTP_FAILED, user, page="setup")
        form.add_error("code", _("That code does not match. Check that the phone's clock is right and try the new code."))
    device = TOTPDevice(user=user, key=key)  # not saved: only to build the otpauth:// address
    secret = b32encode(device.bin_key).decode()
    return render(request, "registration/two_factor_setup.html", {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "required": state.is_required_for(user),
        "next": _next(request),
    }, status=400 if request.method == "POST" else 200)


@login_required
def two_factor_verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next(request) or "home")
    if not user_has_device(user, confirmed=True):
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = services.second_factor_check(actor=user, code=form.cleaned_data["code"])
        if verdict.device is not None:
            _vouch(request, verdict.device)
            events.record(request, events.OTP_VERIFIED, user, device=verdict.device.persistent_id)
            return redirect(_next(request) or "home")
        if verdict.locked_until is not None:
            events.record(request, events.OTP_THROTTLED, user, page="verify")
            wait = max(1, math.ceil((verdict.locked_until - timezone.now()).total_seconds()))
            form.add_error("code", ngettext("Too many wrong codes. Wait %(seconds)d second, then try again.",
                                            "Too many wrong codes. Wait %(seconds)d seconds, then try again.",
                                            wait) % {"seconds": wait})
        else:
            events.record(request, events.OTP_FAILED, user, page="verify")
            form.add_error("code", _("That code is not right. Type the code the app shows now."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)},
                  status=400 if request.method == "POST" else 200)


@login_required
@post_only("two_factor")
def two_factor_disable(request):
    user = request.user
    form = CodeForm(request.POST)
    verdict = services.second_factor_check(actor=user, code=form.cleaned_data["code"]) if form.is_valid() else None
    if verdict is None or verdict.device is None:
        events.record(request, events.OTP_THROTTLED if verdict and verdict.locked_until else events.OTP_FAILED,
                      user, page="disable")
        messages.error(request, _("Two-factor sign-in is still on: that code is not right."))
        return redirect("two_factor")
    services.second_factor_disable(actor=user)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    need = state.remember_need(request.session, user)
    events.record(request, events.OTP_DISABLED, user)
    if need == state.ENROL:
        messages.warning(request, _("Two-factor sign-in is off. Your role requires it: set it up again now."))
        return redirect("two_factor_setup")
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("two_factor")
