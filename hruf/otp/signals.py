"""Sign-in and sign-out: start the session's second-factor state and record every event."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hruf.middleware import IDLE_SEEN_KEY

from . import events, state


@receiver(user_logged_in, dispatch_uid="hruf_otp_signed_in")
def _signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    state.remember_need(request.session, user)
    # The idle clock starts here, so the first page after signing in writes nothing more to the session.
    request.session[IDLE_SEEN_KEY] = state.now()
    events.record(request, events.PASSWORD_OK, user)


@receiver(user_login_failed, dispatch_uid="hruf_otp_password_refused")
def _password_refused(sender, credentials, request=None, **kwargs):
    events.record(request, events.PASSWORD_FAILED, None, username=str(credentials.get("username", ""))[:150])


@receiver(user_logged_out, dispatch_uid="hruf_otp_signed_out")
def _signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "hruf_sign_out_reason", "")
    events.record(request, events.IDLE_SIGN_OUT if reason == "idle" else events.SIGN_OUT, user)
