"""API tokens: one per person, shown once when made; a new one replaces the old at once."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from hruf.models import User


def api_token_rotate(*, user: User) -> Token:
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def api_token_revoke(*, user: User) -> int:
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted
