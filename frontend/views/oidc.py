"""Sign-in through the enterprise portal (OpenID Connect): the button's start, the provider's
callback, and the portal's sign-out when a portal account signs out of the platform.

mozilla-django-oidc's views run the flow; these subclasses take the provider's endpoints from its
discovery document (accounts/oidc_backend.provider_metadata), turn every failure into a message on
the login page (never a 500), and apply the login brake to failed callbacks. Without OIDC settings
every URL here is a 404.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import path
from django.utils.translation import gettext_lazy
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from platform_core.accounts.directory import (
    DirectoryUnavailable,
    directory_problem,
    directory_problem_message,
)
from platform_core.accounts.models import User
from platform_core.accounts.oidc_backend import PORTAL_ERROR, provider_metadata
from platform_core.accounts.oidc_config import oidc_configured
from platform_core.accounts.throttle import login_locked_out, record_login_failure

from ..forms import THROTTLED

logger = logging.getLogger(__name__)

app_name = "oidc"

# The login brake counts failed callbacks per address under this name (the portal checks the
# password, so there is no username to count here: a failed callback is a forged, replayed or
# refused one).
BRAKE_KEY = "oidc:callback"

UNAVAILABLE = gettext_lazy(
    "The enterprise portal cannot be reached just now. Please try again in a few minutes, or sign "
    "in with an account of this platform."
)
PORTAL_REFUSED = gettext_lazy(
    "The enterprise portal did not sign you in. Please try again, or ask the platform's administrator."
)


def _require_configured() -> None:
    if not oidc_configured():
        raise Http404


def _to_login(request, message) -> HttpResponseRedirect:
    messages.error(request, str(message))
    return redirect("accounts:login")


class PortalStartView(OIDCAuthenticationRequestView):
    """The button: send the person to the portal's authorization endpoint."""

    def __init__(self, **kwargs):
        # Not the library's __init__: the endpoint comes from discovery, at the request.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request):
        _require_configured()
        if login_locked_out(BRAKE_KEY, request):
            return _to_login(request, THROTTLED)
        try:
            metadata = provider_metadata()
        except DirectoryUnavailable:
            return _to_login(request, UNAVAILABLE)
        self.OIDC_OP_AUTH_ENDPOINT = metadata["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class PortalCallbackView(OIDCAuthenticationCallbackView):
    """The portal sends the person back here with a code (or an error)."""

    def get(self, request):
        _require_configured()
        if login_locked_out(BRAKE_KEY, request):
            return _to_login(request, THROTTLED)
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A state this browser never asked for: an old tab, a replayed or forged link.
            logger.warning("portal sign-in refused: the callback's state is not this session's")
            return self.login_failure()

    def login_failure(self):
        request = self.request
        record_login_failure(BRAKE_KEY, request)
        # The id token of a refused sign-in is not kept.
        request.session.pop("oidc_id_token", None)
        problem = directory_problem(request)
        if problem == "unavailable":
            message = UNAVAILABLE
        elif problem == PORTAL_ERROR or problem is None:
            message = PORTAL_REFUSED
        else:
            message = directory_problem_message(request) or PORTAL_REFUSED
        if request.GET.get("error"):
            logger.info("the portal answered the sign-in with the error %r", request.GET["error"][:100])
        return _to_login(request, message)


def portal_logout_url(request) -> str | None:
    """Where a portal account goes to end its portal session too (RP-initiated logout), or None."""
    id_token = request.session.get("oidc_id_token")
    user = request.user
    if not (
        oidc_configured()
        and settings.OIDC_LOGOUT_AT_PORTAL
        and id_token
        and user.is_authenticated
        and user.directory_source == User.Source.OIDC
    ):
        return None
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except DirectoryUnavailable:
        return None  # signed out of the platform; the portal session ends on its own
    if not isinstance(endpoint, str) or not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


class LogoutView(auth_views.LogoutView):
    """The platform's sign-out; a portal account is then sent to sign out of the portal too."""

    def post(self, request, *args, **kwargs):
        portal_url = portal_logout_url(request)  # before the session, and its id token, end
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(portal_url) if portal_url else response


urlpatterns = [
    path("start/", PortalStartView.as_view(), name="start"),
    path("callback/", PortalCallbackView.as_view(), name="callback"),
]
