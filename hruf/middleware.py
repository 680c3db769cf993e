"""Pages shown to a signed-in person name people at risk: no browser or proxy may keep them."""

from django.utils.cache import patch_cache_control


def no_store_for_people(get_response):
    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware
