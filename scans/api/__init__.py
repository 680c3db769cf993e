"""REST endpoints of scans, alerts, warnings and the indicator matrix (under /api/v1/ by hruf/api_urls.py).

Reads go through the permission module's scoping, so an id outside the user's scope answers 404;
writes go through `scans.services`, whose refusals are mapped onto the API's one error format.
Serializers only shape input and output.
"""

from .alerts import AlertViewSet
from .files import EvidenceFileViewSet
from .reference import CountryViewSet, MatrixVersionViewSet
from .scans import ScanViewSet
from .warnings import WarningViewSet


def register(router):
    router.register("countries", CountryViewSet, basename="country")
    router.register("matrix", MatrixVersionViewSet, basename="matrix")
    router.register("scans", ScanViewSet, basename="scan")
    router.register("alerts", AlertViewSet, basename="alert")
    router.register("warnings", WarningViewSet, basename="warning")
    router.register("evidence-files", EvidenceFileViewSet, basename="evidence-file")
