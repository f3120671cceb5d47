"""Request hygiene applied before any view runs."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponseBadRequest
from django.utils.cache import patch_cache_control


class RejectNullBytesMiddleware:
    """A NUL character in the path or query string is never legitimate, and PostgreSQL refuses it in
    text: answer 400 here rather than let any view that reads a raw parameter fail with a 500.
    (Form and serializer fields already refuse NUL in submitted values.)"""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or any("\x00" in value for value in request.GET.values())
            or any("\x00" in key for key in request.GET)
        ):
            return HttpResponseBadRequest(
                "NUL characters are not allowed in the address.", content_type="text/plain"
            )
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Whatever is answered to a logged-in user may show their data: no cache may keep it, neither a
    shared proxy nor the browser (on a shared computer the back button would show it after logout).
    Anonymous answers keep their default, cacheable, and a view that sets Cache-Control itself wins."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class MissingObjectMiddleware:
    """A service or selector that finds no such object (or none this user may reach) raises the
    model's DoesNotExist: every page answers it with the 404 page, as the API's exception handler
    answers it with its 404, so "missing" has one answer whichever door it came through. Without
    this a page that did not catch it answered 500."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ObjectDoesNotExist):
            raise Http404(str(exception) or None) from exception
        return None
