"""Request bodies over MAX_REQUEST_BODY_BYTES are refused with a 413 before they are read.

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

from django.conf import settings
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

# After answering 413, keep reading (and dropping) the rest of the body for this long, so that the
# client, still sending, receives the answer instead of a connection reset; then close.
LINGER_SECONDS = 2.0


def too_large_response(path: str) -> tuple[bytes, bytes]:
    """Content type and body of the 413 answer: the API's JSON error format on API URLs."""
    message = gettext("The request body is too large.")
    if path.startswith("/api/"):
        return b"application/json", json.dumps({"detail": message}, ensure_ascii=False).encode()
    return b"text/plain; charset=utf-8", message.encode()


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
        limit = settings.MAX_REQUEST_BODY_BYTES
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            return await self._refuse(scope, send)
        received = 0
        refused = False

        async def counting_receive():
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request" and not refused:
                received += len(message.get("body", b""))
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
        content_type, body = too_large_response(scope.get("path", ""))
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
            if length is not None and length > settings.MAX_REQUEST_BODY_BYTES:
                self.content = io.BytesIO()
                self.refuse_body()
            else:
                super().gotLength(length)

        def handleContentChunk(self, data):
            if self.body_refused:
                return
            self.body_bytes += len(data)
            if self.body_bytes > settings.MAX_REQUEST_BODY_BYTES:
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
            # Twisted sets the request's own path only once the body is in; the channel has it now.
            target = getattr(self.channel, "_path", b"") or b""
            path = target.decode("ascii", "replace").split("?", 1)[0]
            content_type, body = too_large_response(path)
            logger.warning("Refused a request body over %d bytes: %s", settings.MAX_REQUEST_BODY_BYTES, path)
            self.channel.transport.write(
                b"HTTP/1.1 413 Content Too Large\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                b"Connection: close\r\n\r\n%s" % (content_type, len(body), body)
            )
            # The channel's callLater is the running reactor's (importing the reactor here, at import
            # time, would install Twisted's default one before daphne installs its asyncio reactor).
            self.channel.callLater(LINGER_SECONDS, self.close_refused)

        def close_refused(self) -> None:
            if self.channel is not None:
                self.channel.loseConnection()

    http_protocol.WebRequest = BodyLimitedWebRequest  # type: ignore[misc]
