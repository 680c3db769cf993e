from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from hruf.otp.state import need_of

from .tokens import mark_used

# A token's last use is written at most this often: an API script must not cost a write per call.
LAST_USE_EVERY_SECONDS = 60


class ApiTokenAuthentication(TokenAuthentication):
    """Knox's hashed, expiring tokens, and two rules of ours: a person who owes a second factor uses only a
    token made after passing it (a token made before they became EOSG or an administrator is refused), and
    each token records when and from where it was last used."""

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if need_of(user) and not token.second_factor:
            raise exceptions.AuthenticationFailed(_(
                "Your role requires two-factor sign-in: make a new token from a session that passed it."))
        return user, token

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            token = found[1]
            now = timezone.now()
            if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= LAST_USE_EVERY_SECONDS:
                mark_used(token, request=request, now=now)
        return found


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes these tokens (as DRF's own: `Authorization: Token <key>`)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": 'A token made at /api/v1/token/, sent as "Token <key>".'}
