"""Obtaining an API token: the same password-guessing brake as the login page."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.views import APIView

from platform_core.api_throttles import ScopedRateThrottle

from .directory import directory_problem, directory_problem_message
from .throttle import login_locked_out, record_login_failure


class DirectoryUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The enterprise directory cannot be reached just now. Try again in a few minutes.")
    default_code = "directory_unavailable"


class ThrottledObtainAuthToken(ObtainAuthToken):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    # ObtainAuthToken names DRF's own parsers; take the API's, which bound what a body may hold.
    parser_classes = APIView.parser_classes

    def post(self, request, *args, **kwargs):
        # The body may be any JSON: only an object can name a user; the serializer refuses the rest.
        username = request.data.get("username") if isinstance(request.data, Mapping) else None
        if login_locked_out(username, request):
            raise exceptions.Throttled(detail="Too many failed attempts. Try again in a few minutes.")
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            record_login_failure(username, request)
            # A directory that could not be asked, or that vouched for a person the platform
            # refuses, is said as such, not as wrong credentials.
            problem, message = directory_problem(request), directory_problem_message(request)
            if problem in {"unavailable", "misconfigured", "incomplete"}:
                raise DirectoryUnavailable(detail=message)
            if message:
                raise exceptions.PermissionDenied(detail=message)
            raise exceptions.ValidationError(serializer.errors)
        return super().post(request, *args, **kwargs)
