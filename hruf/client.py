"""The client's address, the one place it is read (lock-out, API rate limits, the audit trail, token use,
the metrics scraper's check). Behind a reverse proxy every connection comes from the proxy, so
X-Forwarded-For is believed only when the connection comes from a proxy listed in TRUSTED_PROXIES, and
then only as far as the proxies in it: walking the header from the right, the first address that is not a
trusted proxy is the client (whatever a client writes to the header's left is never taken)."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _ip(raw: str):
    try:
        return ipaddress.ip_address(raw.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_address(request) -> str | None:
    if request is None:
        return None
    peer = _ip(request.META.get("REMOTE_ADDR", ""))
    if peer is None or not _trusted(peer):
        return str(peer) if peer is not None else None
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for raw in reversed(forwarded):
        hop = _ip(raw)
        if hop is None:  # a malformed hop: nothing to its left can be trusted
            break
        if not _trusted(hop):
            return str(hop)
        peer = hop
    return str(peer)
