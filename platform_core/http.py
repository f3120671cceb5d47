"""Small helpers shared by HTML and API views."""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.exceptions import NotAuthenticated
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied


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


def _to_login(request):
    # Imported here: the auth views import the user model, and this module is imported early.
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.get_full_path())


def is_browser_navigation(request) -> bool:
    """A person's browser following a link (it asks for HTML), not an API client or a script."""
    return "text/html" in request.headers.get("Accept", "")


def anonymous_to_login(view):
    """For a download linked from pages: an anonymous visitor whom the view refuses (403 or 404)
    is sent to the login page, and back here after it; a logged-in user keeps the refusal, so
    whether the file exists stays private."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except (Http404, PermissionDenied):
            if request.user.is_authenticated:
                raise
            return _to_login(request)
        if response.status_code in (403, 404) and not request.user.is_authenticated:
            return _to_login(request)
        return response

    return wrapped


class AnonymousBrowserToLoginMixin:
    """The API door of a download that pages link to: an anonymous browser following the link
    is sent to the login page (it got a raw 403 JSON); API clients keep their JSON 403."""

    def handle_exception(self, exc):
        request = self.request  # type: ignore[attr-defined]
        if (
            isinstance(exc, NotAuthenticated | DRFPermissionDenied)
            and not request.user.is_authenticated
            and is_browser_navigation(request)
        ):
            return _to_login(request)
        return super().handle_exception(exc)  # type: ignore[misc]
