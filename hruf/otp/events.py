"""Sign-in events: password accepted or refused, code accepted or refused, two-factor turned on or
off, sign-out (by the person or after idling).

Each goes to the `hruf.security` log and into the audit trail (hruf/audit.py), where EOSG and
administrators filter them: sign-ins as `sign_in` / `sign_in_failed` with the step in `detail`,
turning two-factor on or off as a change to the user. axes keeps its own AccessLog of passwords too.
"""

from __future__ import annotations

import logging

from hruf.audit import Audit, audit_record
from hruf.client import client_address

logger = logging.getLogger("hruf.security")

PASSWORD_OK = "password_ok"
PASSWORD_FAILED = "password_failed"
OTP_VERIFIED = "otp_verified"
OTP_FAILED = "otp_failed"
OTP_THROTTLED = "otp_throttled"
OTP_ENROLLED = "otp_enrolled"
OTP_DISABLED = "otp_disabled"
SIGN_OUT = "sign_out"
IDLE_SIGN_OUT = "idle_sign_out"

_AUDIT = {
    PASSWORD_OK: (Audit.SIGN_IN, {"step": "password"}),
    PASSWORD_FAILED: (Audit.SIGN_IN_FAILED, {"step": "password"}),
    OTP_VERIFIED: (Audit.SIGN_IN, {"step": "second_factor"}),
    OTP_FAILED: (Audit.SIGN_IN_FAILED, {"step": "second_factor"}),
    OTP_THROTTLED: (Audit.SIGN_IN_FAILED, {"step": "second_factor", "throttled": True}),
    SIGN_OUT: (Audit.SIGN_OUT, {}),
    IDLE_SIGN_OUT: (Audit.SIGN_OUT, {"reason": "idle"}),
}
_TWO_FACTOR_CHANGE = {OTP_ENROLLED: [False, True], OTP_DISABLED: [True, False]}


def record(request, event: str, user, *, username: str = "", **detail) -> None:
    username = user.get_username() if user is not None else username
    address = client_address(request) or ""
    extras = "".join(f" {k}={v}" for k, v in sorted(detail.items()))
    logger.info(
        "%s user=%s address=%s%s", event, username, address, extras,
        extra={"event": event, "username": username, "address": address},
    )
    if event in _TWO_FACTOR_CHANGE:
        audit_record(actor=user, action=Audit.UPDATE, obj=user, request=request,
                     changes={"two_factor": _TWO_FACTOR_CHANGE[event]}, detail=detail)
        return
    action, base = _AUDIT[event]
    # A refused password names no account for sure (it may not exist): the name typed goes in detail.
    audit_record(actor=user, action=action, obj=user, request=request,
                 detail={**base, **({"username": username} if user is None else {}), **detail})
