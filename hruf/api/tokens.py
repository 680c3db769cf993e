"""API tokens: made by their owner from a signed-in session, shown once, stored as a digest (django-rest-knox),
each with a name and an expiry. Revoked by their owner, and all of a person's tokens at once when their
password changes, when any of their roles changes and when their two-factor sign-in is reset (so a token
never carries more than its maker could do when it was made). Every making and revoking is audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from hruf.audit import Audit, audit_record
from hruf.client import client_address
from hruf.models import ApiToken, User


def api_token_create(*, actor: User, name: str, second_factor: bool, request=None) -> tuple[ApiToken, str]:
    """A new token and its key, which is never stored and shown only now."""
    with transaction.atomic():
        token, key = ApiToken.objects.create(user=actor, name=name.strip()[:100], second_factor=second_factor)
        audit_record(actor=actor, action=Audit.CREATE, obj=token, request=request,
                     detail={"name": token.name, "expiry": token.expiry, "second_factor": second_factor})
    return token, key


def api_token_revoke(*, actor: User, token_key: str | None = None, request=None) -> int:
    """Revoke one of the actor's tokens (by the first characters the list shows), or all of them."""
    tokens = ApiToken.objects.filter(user=actor)
    if token_key is not None:
        tokens = tokens.filter(token_key=token_key)
    return _revoke(tokens, actor=actor, why="revoked", request=request)


def revoke_all_tokens(user: User, *, why: str, actor: User | None = None) -> int:
    """Every token of a person, when what they may do changed under it (password, roles, second factor)."""
    return _revoke(ApiToken.objects.filter(user=user), actor=actor, why=why)


def _revoke(tokens, *, actor: User | None, why: str, request=None) -> int:
    with transaction.atomic():
        gone = list(tokens)
        for token in gone:
            audit_record(actor=actor, action=Audit.DELETE, obj=token, request=request,
                         detail={"name": token.name, "why": why})
        ApiToken.objects.filter(pk__in=[t.pk for t in gone]).delete()
    return len(gone)


def mark_used(token: ApiToken, *, request, now: dt.datetime) -> None:
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=client_address(request))
