"""Form addresses that take a POST send a GET to the form's page instead of a blank 405: someone who
reopens a tab after sending a form, or follows a copied address, lands where the form is. The redirect
is made without reading anything, so it tells nobody whether the object exists; the page checks access."""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse


def post_only(page: str, *names: str):
    """Like require_POST, but GET and HEAD go to the URL named `page`, given the view's arguments `names`."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                return redirect(reverse(page, args=[kwargs[name] for name in names]))
            return HttpResponseNotAllowed(["POST"])

        return wrapper

    return decorate
