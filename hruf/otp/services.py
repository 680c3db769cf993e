"""Every write to a person's second factor: enrol, check a code, turn it off (one transaction each)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp import devices_for_user, verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hruf.api.tokens import revoke_all_tokens
from hruf.models import User

BACKUP_CODES = 10
TOTP_CODE = re.compile(r"^\d{6}$")
BACKUP_CODE_SALT = "hruf.otp.backup-code"  # hruf/migrations/0010 digested the codes stored before, alike


def backup_code_digest(code: str, secret: str | bytes | None = None) -> str:
    """What is stored of a backup code: an HMAC keyed with SECRET_KEY, cut to the 16 characters of django-otp's
    token column. A copy of the database gives no code away, and its 2^40 codes cannot be tried without the key."""
    return salted_hmac(BACKUP_CODE_SALT, code, secret=secret, algorithm="sha256").hexdigest()[:16]


@dataclass(frozen=True)
class Verdict:
    device: TOTPDevice | StaticDevice | None
    locked_until: dt.datetime | None = None


def clean_code(raw: str) -> str:
    """Apps show codes as '123 456'; backup codes are typed in any case."""
    return re.sub(r"\s+", "", raw or "").lower()


@transaction.atomic
def totp_enrol(*, actor: User, key: str, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm a new authenticator from its first code; returns the device and fresh backup codes.

    The key lived only in the session until now: nothing is stored for a scan that was never confirmed.
    """
    totp = TOTP(TOTPDevice(key=key).bin_key)
    code = clean_code(code)
    if not TOTP_CODE.match(code) or not totp.verify(int(code), tolerance=1):
        return None
    # One authenticator per person: a new one replaces the old (and its backup codes).
    for device in devices_for_user(actor, confirmed=None):
        device.delete()
    # last_t: the code just typed cannot be replayed on the sign-in step.
    device = TOTPDevice.objects.create(user=actor, name="Authenticator app", key=key, confirmed=True,
                                       last_t=totp.t(), drift=totp.drift)
    backup = StaticDevice.objects.create(user=actor, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=backup_code_digest(c)) for c in codes)
    return device, codes


def second_factor_check(*, actor: User, code: str) -> Verdict:
    """Check a code from the app (six digits) or a backup code, through django-otp's throttling.

    Each failure doubles the wait before the next attempt on that device (1 s, 2 s, 4 s, ...), so
    guessing a six-digit code is hopeless; a throttled attempt is refused without being checked.
    """
    code = clean_code(code)
    model = TOTPDevice if TOTP_CODE.match(code) else StaticDevice
    device = model.objects.filter(user=actor, confirmed=True).first()
    if device is None:
        return Verdict(None)
    allowed, why = device.verify_is_allowed()
    if not allowed:
        return Verdict(None, locked_until=(why or {}).get("locked_until"))
    if model is StaticDevice:
        # Stored as a digest; one made under a key since rotated into SECRET_KEY_FALLBACKS still counts.
        digests = [backup_code_digest(code, key) for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
        code = device.token_set.filter(token__in=digests).values_list("token", flat=True).first() or digests[0]
    # verify_token locks the device row (select_for_update) so two tabs cannot both use one code.
    return Verdict(verify_token(actor, device.persistent_id, code))


@transaction.atomic
def second_factor_disable(*, actor: User) -> int:
    deleted = 0
    for device in devices_for_user(actor, confirmed=None):
        device.delete()
        deleted += 1
    revoke_all_tokens(actor, actor=actor, why="second_factor_reset")  # they were made after checking it
    return deleted


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
