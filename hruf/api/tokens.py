"""API tokens: one per person, shown once when made; a new one replaces the old at once."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from hruf.models import User


def api_token_rotate(*, actor: User) -> Token:
    with transaction.atomic():
        Token.objects.filter(user=actor).delete()
        return Token.objects.create(user=actor)


def api_token_revoke(*, actor: User) -> int:
    deleted, _ = Token.objects.filter(user=actor).delete()
    return deleted
