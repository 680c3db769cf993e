"""The app as it runs in production, plus what the bench measures with: a bare view (bench/urls.py)
and a query counter on every response. Never used outside the bench."""

import os
import socket
import warnings
from urllib.parse import urlsplit

from hruf.settings import *  # noqa: F403
from hruf.settings import CACHES as APP_CACHES
from hruf.settings import MIDDLEWARE, REST_FRAMEWORK, STORAGES, VAR_DIR

ROOT_URLCONF = "bench.urls"
# Outermost, so the session and user queries of the middleware below are counted too.
MIDDLEWARE = ["bench.middleware.count_queries", *MIDDLEWARE]
# {% static %} from the finders' names: no collectstatic before a bench run (a dictionary lookup either way).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# A handful of signed-in clients make thousands of API calls a minute: measured, not throttled.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "1000000/minute", "anon": "1000000/minute"}}

# No collectstatic, so whitenoise warns once per worker that STATIC_ROOT is missing.
warnings.filterwarnings("ignore", "No directory at", UserWarning)


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


# The cache as production has it: Redis, shared by the workers (the scope and unread count every page
# reads come from it), on a database of its own. The broker stays off (bench/run.py drops REDIS_URL).
_CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")


def caches_for(size: str) -> dict:
    """The caches of the server of one size (BENCH_SIZE): the two sizes are served side by side (bench/run.py),
    and what one keeps for a user id must not reach the same id in the other's data."""
    if not _reachable(_CACHE_URL):
        return {**APP_CACHES, "figures": {**APP_CACHES["figures"], "LOCATION": str(VAR_DIR / f"cache-figures{size}")}}
    redis = {"BACKEND": "hruf.cache.ForgivingRedisCache", "LOCATION": _CACHE_URL,
             "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}
    return {"default": {**redis, "KEY_PREFIX": size},
            **{alias: {**redis, "KEY_PREFIX": f"{size}{alias}"} for alias in ("floor", "fragments", "figures")}}


CACHES = caches_for(os.environ.get("BENCH_SIZE", ""))
