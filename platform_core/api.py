"""API plumbing shared by every app: errors always come back as clear 4xx JSON, never a 500."""

from __future__ import annotations

from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


def exception_handler(exc, context):
    # Services raise Django's exceptions (they know nothing of DRF); translate them here, once.
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    # Django's request parsing refuses oversize data and too many fields or files with these;
    # left alone they become Django's HTML error page on an API URL.
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(_("The request has too many fields or files."))
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError()
    return drf_exception_handler(exc, context)
