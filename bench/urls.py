"""The app's URLs and the bare view every page is compared with (bench settings only)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


def bare(request):
    """The floor: the whole middleware stack for a signed-in person, and no work of our own."""
    return HttpResponse("ok", content_type="text/plain")


def empty_page(request):
    """The floor of a real page: base.html (menu, inbox count, language form) with no content."""
    return render(request, "base.html")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/empty-page/", empty_page, name="bench_empty_page"),
    path("", include("hruf.urls")),
]
