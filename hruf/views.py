from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from . import held_post
from .forms import PreferencesForm
from .ids import object_id
from .locales import languages, locale_set, time_zones
from .notifications import email_mode_set, notification_mark_read
from .post_only import post_only

INBOX_LIMIT = 100


@login_required
def inbox(request):
    notifications = request.user.notifications.all()[:INBOX_LIMIT]
    return render(request, "hruf/inbox.html", {"notifications": notifications, "limit": INBOX_LIMIT})


@login_required
@post_only("inbox")
def inbox_mark_read(request):
    notification_mark_read(actor=request.user, notification_id=object_id(request.POST.get("notification")))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("inbox")


@login_required
@post_only("home")
def held_post_discard(request):
    """The person does not want the form they sent before being signed out: open the page afresh."""
    held = held_post.held_for(request)
    held_post.drop(request)
    messages.info(request, _("What you typed before signing out was discarded."))
    return redirect(held["path"] if held else "home")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        email_mode_set(actor=request.user, mode=form.cleaned_data["email_mode"], request=request)
        locale_set(actor=request.user, language=form.cleaned_data["language"],
                   time_zone=form.cleaned_data["time_zone"], request=request)
        if form.cleaned_data["language"]:
            translation.activate(form.cleaned_data["language"])  # the confirmation in the chosen language
        messages.success(request, _("Your preferences are saved."))
        return _remembered(redirect("inbox"), form.cleaned_data["language"])
    return render(request, "hruf/preferences.html", {"form": form, "time_zones": time_zones()},
                  status=400 if request.method == "POST" else 200)


def language_set(request):
    """The language menu: Django's own view (the cookie), and for someone signed in their preference
    too, so that the choice holds on every device and in their mail."""
    chosen = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and chosen in languages():
        locale_set(actor=request.user, language=chosen, request=request)
    return set_language(request)


def _remembered(response, language: str):
    """The menu's cookie follows the preference: a chosen language, or none (the browser's)."""
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE)
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite="Lax")
    return response


def offline_worker(request):
    """The service worker, from the root so that its scope covers the forms (a worker's scope is at
    most its own folder). Public, like any static file; it holds no data of its own."""
    response = HttpResponse(Path(finders.find("js/offline-sw.js")).read_bytes(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"  # a new worker is picked up on the next visit
    return response
