"""A form sent after the idle sign-out is kept, not thrown away.

An officer who types evidence for longer than the idle timeout and then presses Submit is signed
out by that very request (hruf.middleware.sign_out_when_idle). What the request carried is held in
the new session, tied to the person it came from; once they have signed in again (second factor
included) and come back to the same address, they are shown what they typed with a button that
sends it again (with a fresh CSRF token, through the same view and its checks), or discards it.
Nothing is replayed on its own: a held "submit" must not go out unseen. Secrets (passwords,
codes) are never held; neither are uploaded files, which a session cannot carry.
"""

from __future__ import annotations

import json
import time

from django.shortcuts import render

from .encryption import EvidenceKeyMissing, decrypt_text, encrypt_text

HELD_KEY = "hruf_held_post"
HELD_FOR_SECONDS = 3600
_NEVER_HELD = {"csrfmiddlewaretoken", "otp_token", "token", "code"}


def _secret(name: str) -> bool:
    return name in _NEVER_HELD or "password" in name


def hold(request, *, user_id: int) -> bool:
    """Keep what this POST carried for `user_id`, in the (new, signed-out) session."""
    data = {name: request.POST.getlist(name) for name in request.POST if not _secret(name)}
    if not any(v.strip() for values in data.values() for v in values):
        return False
    # Encrypted like evidence (hruf/encryption.py): the session table must not hold it in clear.
    request.session[HELD_KEY] = {"user": user_id, "path": request.path, "data": encrypt_text(json.dumps(data)),
                                 "at": int(time.time())}
    return True


def held_for(request) -> dict | None:
    """The held form for the signed-in person, if it is theirs and recent; a stale one is dropped."""
    held = request.session.get(HELD_KEY)
    if held is None:
        return None
    if held["user"] != request.user.pk or time.time() - held["at"] > HELD_FOR_SECONDS:
        del request.session[HELD_KEY]
        return None
    try:
        return {**held, "data": json.loads(decrypt_text(held["data"]))}
    except EvidenceKeyMissing:  # held under a key since rotated out
        del request.session[HELD_KEY]
        return None


def drop(request) -> None:
    request.session.pop(HELD_KEY, None)


def offer_held_post(get_response):
    """Back at the address of a held form: offer to send it again. Any POST there is the form's own
    from then on (sent again, or replaced by a newer one), so the held copy goes."""

    def middleware(request):
        if request.user.is_authenticated and HELD_KEY in request.session:
            held = held_for(request)
            if held is not None and request.path == held["path"]:
                if request.method == "POST":
                    drop(request)
                elif request.method == "GET":
                    typed = [v for values in held["data"].values() for v in values if len(v.strip()) > 3]
                    return render(request, "hruf/held_post.html", {"held": held, "typed": typed})
        return get_response(request)

    return middleware
