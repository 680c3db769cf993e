"""Each person's language and time zone: chosen on the preferences page (or by the language menu),
applied to every page they open and every mail they are sent.

A person who chose nothing reads pages in their browser's language (Django's LocaleMiddleware) and
mail in the site's language; times are in UTC. Dates and times are written by CLDR's rules through
Babel (hruf/templatetags/locale_tags.py), each time with its offset, and every page names the zone.
"""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .audit import Audit, audit_changes, audit_record
from .models import User

# Django's language codes to CLDR's. English is the UN's British English (25 Aug 2026, not Aug 25).
_CLDR = {"en": "en_GB", "zh-hans": "zh_Hans"}


def cldr_locale(language: str | None = None) -> str:
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    return _CLDR.get(language, language.replace("-", "_"))


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """Every IANA zone the system knows, sorted (the legacy aliases such as "US/Eastern" left out)."""
    return tuple(sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))
    ))


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(time_zones()) | {"UTC"}


def is_time_zone(name: str) -> bool:
    return name in _known_zones()


def languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def personal_locale(get_response):
    """Middleware, after authentication: the signed-in person's own language and time zone."""

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.language in languages():
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            if user.time_zone and is_time_zone(user.time_zone):
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware


def locale_set(*, actor: User, language: str | None = None, time_zone: str | None = None, request=None) -> None:
    """Someone's language and time zone (None leaves one as it is), audited like every preference."""
    after = {}
    if language is not None:
        if language and language not in languages():
            raise ValueError(f"unknown language {language!r}")
        after["language"] = language
    if time_zone is not None:
        if time_zone and not is_time_zone(time_zone):
            raise ValueError(f"unknown time zone {time_zone!r}")
        after["time_zone"] = time_zone
    if not after:
        return
    with transaction.atomic():
        before = User.objects.filter(pk=actor.pk).values(*after).get()
        if before == after:
            return
        User.objects.filter(pk=actor.pk).update(**after)
        for name, value in after.items():
            setattr(actor, name, value)
        audit_record(actor=actor, action=Audit.UPDATE, obj=actor, request=request, changes=audit_changes(before, after))


def recipient_language(user: User) -> str:
    """The language a person's mail is written in: theirs, or the site's."""
    return user.language if user.language in languages() else settings.LANGUAGE_CODE


def ltr(text) -> str:
    """A left-to-right code ("2026-Q4") kept in its order inside a right-to-left sentence, isolated by
    Unicode's own marks (they work in page titles, mail and PDFs alike); in a left-to-right language, as is."""
    text = "" if text is None else str(text)
    return f"\u2066{text}\u2069" if text and translation.get_language_bidi() else text
