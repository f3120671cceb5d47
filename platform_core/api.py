"""API plumbing shared by every app: errors always come back as clear 4xx JSON, never a 500."""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
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
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": " ".join(exc.messages)}
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
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = one_error_format(response.data)
    return response


def one_error_format(data):
    """A refusal of the request as a whole is `{"detail": "…"}`, one string, as the schema says
    (api_schema.ERROR): DRF answers a ValidationError raised with a message, or a list of them,
    with a bare list, and wraps a `detail` given in a dict in a list. Field errors stay keyed by
    field, nested as the fields are."""
    if isinstance(data, list) and all(isinstance(item, str) for item in data):
        return {"detail": " ".join(data)}
    if isinstance(data, dict) and isinstance(data.get("detail"), list):
        messages = data["detail"]
        if all(isinstance(item, str) for item in messages):
            return {**data, "detail": " ".join(messages)}
    return data


API_PATH_PREFIX = "/api/"

# Answers Django gives before or around DRF (an unknown URL or an id the URL pattern refuses, a
# method a plain view does not take, a NUL in the query, a server error) say this, by status.
_DEFAULT_DETAILS = {
    400: exceptions.ParseError.default_detail,
    401: exceptions.NotAuthenticated.default_detail,
    403: exceptions.PermissionDenied.default_detail,
    404: exceptions.NotFound.default_detail,
    406: exceptions.NotAcceptable.default_detail,
    413: PayloadTooLarge.default_detail,
    429: exceptions.Throttled.default_detail,
    500: exceptions.APIException.default_detail,
}
# A plain-text answer this short is a message meant for the caller (the NUL guard's, say).
_PLAIN_DETAIL_MAX_CHARS = 500


def _is_json(response) -> bool:
    media_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _detail_for(request, response) -> str:
    media_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if media_type == "text/plain":
        text = response.content.decode(response.charset or "utf-8", "replace").strip()
        if text and len(text) <= _PLAIN_DETAIL_MAX_CHARS:
            return text
    status_code = response.status_code
    if status_code == 405:
        return str(exceptions.MethodNotAllowed.default_detail).format(method=request.method)
    if status_code in _DEFAULT_DETAILS:
        return str(_DEFAULT_DETAILS[status_code])
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return str(exceptions.APIException.default_detail)


class ApiErrorFormatMiddleware:
    """Every error under /api/ is JSON in the API's one format, `{"detail": "…"}`, whoever answered
    it: DRF already does, but Django's own answers (an unknown path or an id the URL pattern
    refuses: the HTML 404 page; the NUL guard's text/plain 400; a 405 of a non-API view; a 500)
    reached API clients as HTML or text. Outermost, so it sees the answers of every other
    middleware too; the status and the other headers (Allow, Retry-After) are kept."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PATH_PREFIX)
            or response.status_code < 400
            or response.streaming
            or _is_json(response)
        ):
            return response
        answer = JsonResponse(
            {"detail": _detail_for(request, response)},
            status=response.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
        for header, value in response.items():
            if header.lower() not in {"content-type", "content-length"}:
                answer[header] = value
        answer.cookies = response.cookies
        return answer
