"""What a signed-in session still owes (a code, or an enrolment), kept in the session.

Pages are counted in queries (tests/*/test_query_counts.py), so the per-request check reads only the
session. What it depends on in the database (the person's devices, their roles, whether the device
that verified the session still exists) is re-read at sign-in and then at most once a minute.
"""

from __future__ import annotations

import time

from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp.models import Device

from hruf.models import Role
from hruf.permissions import scope_of

NEED_KEY = "hruf_2fa_need"
CHECKED_KEY = "hruf_2fa_checked"
PENDING_KEY_KEY = "hruf_2fa_pending_key"
VERIFY, ENROL = "verify", "enrol"


def is_required_for(user) -> bool:
    """EOSG staff and administrators read or manage everything: a password alone is not enough."""
    if user.is_staff or user.is_superuser:
        return True
    return bool(scope_of(user).roles & {Role.EOSG, Role.ADMIN})


def need_of(user) -> str:
    """VERIFY for anyone with a confirmed device, ENROL for those who must have one, else ''."""
    if user_has_device(user, confirmed=True):
        return VERIFY
    return ENROL if is_required_for(user) else ""


def now() -> int:
    # time.time() rather than a monotonic clock: sessions outlive processes (and time_machine moves it).
    return int(time.time())


def remember_need(session, user) -> str:
    need = need_of(user)
    session[NEED_KEY] = need
    session[CHECKED_KEY] = now()
    return need


def recheck_if_stale(session, user) -> None:
    """Re-read devices and roles once the last check is older than OTP_RECHECK_SECONDS."""
    checked = session.get(CHECKED_KEY)
    if checked is not None and now() - checked < settings.OTP_RECHECK_SECONDS:
        return
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if persistent_id:
        device = Device.from_persistent_id(persistent_id)
        # A device deleted or reassigned since (lost phone, disabled) no longer vouches for the session.
        if device is None or device.user_id != user.pk or not device.confirmed:
            del session[DEVICE_ID_SESSION_KEY]
    remember_need(session, user)


def is_verified(session) -> bool:
    return bool(session.get(DEVICE_ID_SESSION_KEY))
