"""/api/v1/: each app's `api.register(router)` adds its endpoints (project wiring, like urls.py)."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

import followup.api
import reviews.api
import scans.api
from hruf.api import endpoints
from hruf.api.errors import NoSuchEndpoint

router = DefaultRouter()
router.include_root_view = False
for module in (endpoints, scans.api, reviews.api, followup.api):
    module.register(router)

urlpatterns = [
    path("token/", endpoints.TokenView.as_view(), name="api-token"),
    # A reviews step on a scans object: reviews declares it, since scans may not import reviews.
    path("alerts/<int:pk>/flag-for-sag/", reviews.api.AlertFlagForSagView.as_view(), name="alert-flag-for-sag"),
    *router.urls,
    re_path(r"", NoSuchEndpoint.as_view()),
]
