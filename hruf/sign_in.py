"""Sign-in that a stranger cannot turn against a named colleague. Lock-out (django-axes) holds an account
from one address only; failures from every address together slow the account down: past
SIGN_IN_SLOW_AFTER failures, each further attempt waits twice as long as the one before (capped at
SIGN_IN_MAX_WAIT_SECONDS) after the last failure, and an attempt inside the wait is refused before its
password is checked. The colleague waits seconds, never a quarter of an hour."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import ngettext


def account_wait(username: str, now: dt.datetime) -> int:
    """Seconds the account must still wait before its next attempt (0: none)."""
    failed = AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"),
                                                                         last=Max("attempt_time"))
    extra = (failed["n"] or 0) - settings.SIGN_IN_SLOW_AFTER
    if extra < 0 or failed["last"] is None:
        return 0
    wait = min(2 ** extra, settings.SIGN_IN_MAX_WAIT_SECONDS)
    left = wait - (now - failed["last"]).total_seconds()
    return max(0, int(left + 0.999))


class SignInForm(AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            left = account_wait(username, timezone.now())
            if left:
                raise forms.ValidationError(
                    ngettext("Too many failed sign-ins for this account: try again in %(n)s second.",
                             "Too many failed sign-ins for this account: try again in %(n)s seconds.", left)
                    % {"n": left},
                    code="slowed",
                )
        return super().clean()
