"""Request bodies over their path's limit are refused with a 413 before they are read.

The limit is MAX_REQUEST_BODY_BYTES, except on the views that take uploads, where it is their
largest upload plus the form's other fields (platform_core/uploads.py, the one upload policy).
The answer is JSON on the API and the platform's own page (413.html) everywhere else.

Two guards, one limit:

- `RequestBodyLimit`, ASGI middleware in front of Django: refuses at once a request whose
  Content-Length is over the limit, and stops a streamed (chunked) body the moment it passes the
  limit. This is the rule for any ASGI server that streams the body to the application.
- daphne does not stream: it reads the whole body into its own buffer, then queues all of it in
  memory for the application before the application runs (measured: a 100 MB POST grew the
  process by 105 MB whatever the application answered). `install_daphne_body_limit` makes daphne's
  request count the body as it arrives and answer 413 at the header or the chunk that passes the
  limit, keeping nothing; so `make run`, and a deployment without a proxy in front, are safe.

Below the limit Django spools the body to disk past FILE_UPLOAD_MAX_MEMORY_SIZE, and parses uploads
to disk past the same size (settings.py).
"""

from __future__ import annotations

import io
import json
import logging
from http.cookies import CookieError, SimpleCookie

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from platform_core.uploads import body_limit_for, size_label, upload_kinds_for

logger = logging.getLogger(__name__)

# After answering 413, keep reading (and dropping) the rest of the body for this long, so that the
# client, still sending, receives the answer instead of a connection reset; then close.
LINGER_SECONDS = 2.0


def _language(cookie_header: str) -> str:
    """The page language the visitor chose (the platform's language cookie), as the pages do."""
    cookies = SimpleCookie()
    try:
        cookies.load(cookie_header)
    except CookieError:
        return settings.LANGUAGE_CODE
    chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    try:
        return translation.get_supported_language_variant(chosen.value) if chosen else settings.LANGUAGE_CODE
    except LookupError:
        return settings.LANGUAGE_CODE


def too_large_response(path: str, cookie_header: str = "") -> tuple[bytes, bytes]:
    """Content type and body of the 413 answer: the API's JSON error format on API URLs, the
    platform's own page, stating the limit of the page and its uploads, everywhere else."""
    if path.startswith("/api/"):
        message = gettext("The request body is too large.")
        return b"application/json", json.dumps({"detail": message}, ensure_ascii=False).encode()
    with translation.override(_language(cookie_header)):
        page = render_to_string(
            "413.html",
            {
                "platform_name": settings.SITE_NAME,
                "limit": size_label(body_limit_for(path)),
                "upload_help": [kind.help_text() for kind in upload_kinds_for(path)],
            },
        )
    return b"text/html; charset=utf-8", page.encode()


def _header(scope, wanted: bytes) -> str:
    return b"; ".join(value for name, value in scope.get("headers", []) if name == wanted).decode("latin1")


def _declared_length(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class RequestBodyLimit:
    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.application(scope, receive, send)
        path = scope.get("path", "")
        declared = _declared_length(scope)
        limit = body_limit_for(path, declared if declared is not None else 0)
        if declared is not None and declared > limit:
            return await self._refuse(scope, send)
        received = 0
        refused = False

        async def counting_receive():
            nonlocal received, refused, limit
            message = await receive()
            if message["type"] == "http.request" and not refused:
                received += len(message.get("body", b""))
                if received > limit and limit == settings.MAX_REQUEST_BODY_BYTES:
                    # A streamed body past the default: the path may be an upload view's.
                    limit = body_limit_for(path, received)
                if received > limit:
                    refused = True
                    await self._refuse(scope, send)
                    # Django's handler stops reading and sends nothing on a disconnect.
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if not refused:
                await send(message)

        return await self.application(scope, counting_receive, guarded_send)

    @staticmethod
    async def _refuse(scope, send) -> None:
        content_type, body = too_large_response(scope.get("path", ""), _header(scope, b"cookie"))
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def install_daphne_body_limit() -> None:
    """Make daphne's HTTP requests refuse an oversize body as it arrives (see the module doc).

    daphne's factory builds each request from the module attribute `WebRequest`, so replacing it
    with a subclass is the one place to hook in; it runs when the ASGI application is imported,
    before daphne accepts a connection."""
    from daphne import http_protocol

    if getattr(http_protocol.WebRequest, "refuses_oversize_bodies", False):
        return

    class BodyLimitedWebRequest(http_protocol.WebRequest):
        refuses_oversize_bodies = True

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # Twisted parses every multipart or urlencoded POST body into `args` (an in-memory
            # copy of each upload that daphne never reads), and answers a body it cannot parse,
            # an empty multipart form among them, with a bare 400: no body, no Content-Type, no
            # JSON on the API. Django parses the body, once, and answers in the page's or the
            # API's own format.
            self._parsePOSTFormSubmission = False

        def gotLength(self, length):
            self.body_bytes = 0
            self.body_refused = False
            # The request line and headers are in: the limit is the path's (an upload view's is
            # its largest upload's).
            self.body_limit = body_limit_for(self.target_path(), length if length is not None else 0)
            if length is not None and length > self.body_limit:
                self.content = io.BytesIO()
                self.refuse_body()
            else:
                super().gotLength(length)

        def handleContentChunk(self, data):
            if self.body_refused:
                return
            self.body_bytes += len(data)
            if self.body_bytes > self.body_limit == settings.MAX_REQUEST_BODY_BYTES:
                # A chunked body past the default: the path may be an upload view's.
                self.body_limit = body_limit_for(self.target_path(), self.body_bytes)
            if self.body_bytes > self.body_limit:
                self.content.close()
                self.content = io.BytesIO()
                self.refuse_body()
                return
            super().handleContentChunk(data)

        def process(self):
            if getattr(self, "body_refused", False):
                # The whole body has arrived (and been dropped); the answer has gone out.
                self.close_refused()
                return None
            return super().process()

        def refuse_body(self) -> None:
            self.body_refused = True
            path = self.target_path()
            cookie = b"; ".join(self.requestHeaders.getRawHeaders(b"cookie") or []).decode("latin1")
            content_type, body = too_large_response(path, cookie)
            logger.warning("Refused a request body over %d bytes: %s", self.body_limit, path)
            self.channel.transport.write(
                b"HTTP/1.1 413 Content Too Large\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                b"Connection: close\r\n\r\n%s" % (content_type, len(body), body)
            )
            # The channel's callLater is the running reactor's (importing the reactor here, at import
            # time, would install Twisted's default one before daphne installs its asyncio reactor).
            self.channel.callLater(LINGER_SECONDS, self.close_refused)

        def target_path(self) -> str:
            # Twisted sets the request's own path only once the body is in; the channel has it now.
            target = getattr(self.channel, "_path", b"") or b""
            return target.decode("ascii", "replace").split("?", 1)[0]

        def close_refused(self) -> None:
            if self.channel is not None:
                self.channel.loseConnection()

    http_protocol.WebRequest = BodyLimitedWebRequest  # type: ignore[misc]
