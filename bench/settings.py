"""The app as it runs in production, plus what the bench measures with: a bare view (bench/urls.py)
and a query counter on every response. Never used outside the bench."""

import warnings

from hruf.settings import *  # noqa: F403
from hruf.settings import MIDDLEWARE, REST_FRAMEWORK, STORAGES

ROOT_URLCONF = "bench.urls"
# Outermost, so the session and user queries of the middleware below are counted too.
MIDDLEWARE = ["bench.middleware.count_queries", *MIDDLEWARE]
# {% static %} from the finders' names: no collectstatic before a bench run (a dictionary lookup either way).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# A handful of signed-in clients make thousands of API calls a minute: measured, not throttled.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "1000000/minute", "anon": "1000000/minute"}}

# No collectstatic, so whitenoise warns once per worker that STATIC_ROOT is missing.
warnings.filterwarnings("ignore", "No directory at", UserWarning)
