"""Small helpers shared by HTML and API views."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The address a request came from; behind the reverse proxy, the one the proxy saw.

    The proxy appends the peer it saw to X-Forwarded-For; everything before that entry came from
    the client and may be forged, so only the rightmost entry is trusted.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
