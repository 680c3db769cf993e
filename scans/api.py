"""REST endpoints of this app (registered under /api/v1/ by hruf/api_urls.py)."""


def register(router):
    pass
