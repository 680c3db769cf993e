from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from hruf.otp.state import ENROL, need_of


class TokenAuthentication(authentication.TokenAuthentication):
    """A token made before its owner became EOSG or an administrator must not stand in for the
    second factor they now owe: until they enrol on the website, the token is refused."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if need_of(user) == ENROL:
            raise exceptions.AuthenticationFailed(
                _("Your role requires two-factor sign-in: set it up on the website before using an API token.")
            )
        return user, token
