"""Small helpers shared by HTML and API views."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The address a request came from; behind the reverse proxy, the one the proxy saw."""
    return trusted_client_ip(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", "")
    )


def trusted_client_ip(peer: str, forwarded_for: str) -> str | None:
    """The client's address, from the connection's peer and its X-Forwarded-For header (HTTP
    requests and websocket handshakes alike).

    The proxy appends the peer it saw to X-Forwarded-For; everything before that entry came from
    the client and may be forged, so only the rightmost entry is trusted.
    """
    address = peer
    if settings.USE_X_FORWARDED_FOR and forwarded_for:
        address = forwarded_for.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
