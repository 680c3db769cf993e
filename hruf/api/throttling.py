"""API rate limits that fail open: the counters live in the cache (Redis in production), and a
cache outage must not turn every API call into a 500 while the pages keep working."""

import logging

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from hruf.client import client_address

log = logging.getLogger(__name__)


class _FailOpen:
    def get_ident(self, request):
        # The real client behind a trusted proxy (hruf/client.py), never an address the client wrote.
        return client_address(request) or "unknown"

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache backend's own connection errors vary by backend
            log.warning("API rate limit not applied: the cache is unavailable", exc_info=True)
            return True


class UserRate(_FailOpen, UserRateThrottle):
    pass


class AnonRate(_FailOpen, AnonRateThrottle):
    pass
