"""Pages shown to a signed-in person name people at risk: no browser or proxy may keep them, and a
session left open on a shared machine ends by itself."""

import sys
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from . import held_post


def no_store_for_people(get_response):
    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware


# Idle sign-out. The timestamp is written at sign-in (hruf/otp/signals.py) and refreshed only when a
# minute has passed, so an ordinary page never writes the session (and keeps its query count).
IDLE_SEEN_KEY = "hruf_seen"
IDLE_REFRESH_SECONDS = 60


def sign_out_when_idle(get_response):
    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(IDLE_SEEN_KEY)
            if seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT * 60:
                request.hruf_sign_out_reason = "idle"
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity. Sign in again to continue.")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT},
                )
                if request.method == "POST" and held_post.hold(request, user_id=user.pk):
                    messages.info(request, _("What you were sending is kept: it comes back after you sign in."))
                return redirect_to_login(request.get_full_path())
            if seen is None or now - seen >= IDLE_REFRESH_SECONDS:
                request.session[IDLE_SEEN_KEY] = now
        return get_response(request)

    return middleware


# --- database unavailable: a 503 page, not a crash -------------------------------------------------
# Django turns an exception raised anywhere under a middleware into a 500 response before the outer
# middleware sees it (the session or the idle sign-out may be the first to touch the database), so
# the outage is noted when the exception is reported and the outermost middleware swaps the page.
DATABASE_RETRY_AFTER_SECONDS = 30


def _note_database_outage(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        request.hruf_database_unavailable = True


def database_unavailable(get_response):
    got_request_exception.connect(_note_database_outage, dispatch_uid="hruf.middleware.database_unavailable")

    def middleware(request):
        response = get_response(request)
        if not getattr(request, "hruf_database_unavailable", False):
            return response
        # Rendered without the request's context processors: they would ask the database again.
        if request.path.startswith("/api/"):
            unavailable = JsonResponse({"detail": _("The service is temporarily unavailable.")}, status=503)
        else:
            unavailable = HttpResponse(render_to_string("503.html"), status=503)
        unavailable["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        patch_cache_control(unavailable, no_store=True)
        return unavailable

    return middleware

