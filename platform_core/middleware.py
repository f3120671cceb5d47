"""Request hygiene applied before any view runs."""

from __future__ import annotations

from django.http import HttpResponseBadRequest


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
