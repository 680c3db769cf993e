"""The client's address, as one place reads it."""

import ipaddress


def client_address(request) -> str | None:
    """The connection's own address (X-Forwarded-For is whatever the client chose to send)."""
    raw = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None
