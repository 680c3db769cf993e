"""/api/v1/: each app's `api.register(router)` adds its endpoints (project wiring, like urls.py)."""

from rest_framework.routers import DefaultRouter

import followup.api
import reviews.api
import scans.api
from hruf.api import endpoints

router = DefaultRouter()
router.include_root_view = False
for module in (endpoints, scans.api, reviews.api, followup.api):
    module.register(router)

urlpatterns = router.urls
