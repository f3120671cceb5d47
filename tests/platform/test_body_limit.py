"""A request body over MAX_REQUEST_BODY_BYTES is refused with a 413 before it is read."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.utils.translation import gettext

from platform_core.body_limit import RequestBodyLimit
from tests.servers import daphne
from tests.ws import session_cookie

MB = 1024 * 1024

# --- the ASGI middleware (any server that streams the body) ------------------------------------


class BodyReader:
    """An application that reads the whole body, as Django's handler does, and reports it."""

    def __init__(self) -> None:
        self.called = False
        self.body = b""
        self.disconnected = False

    async def __call__(self, scope, receive, send):
        self.called = True
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                self.disconnected = True
                return
            self.body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read %d" % len(self.body)})


def http_scope(path: str = "/login/", content_length: int | None = None) -> dict:
    headers = [(b"content-type", b"application/octet-stream")]
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    return {"type": "http", "method": "POST", "path": path, "headers": headers, "query_string": b""}


async def responses(communicator: ApplicationCommunicator) -> tuple[int, bytes]:
    start = await communicator.receive_output(2)
    body = await communicator.receive_output(2)
    return start["status"], body["body"]


@pytest.fixture
def small_limit(settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000


async def test_a_declared_length_over_the_limit_is_refused_without_running_the_application(small_limit):
    inner = BodyReader()
    communicator = ApplicationCommunicator(RequestBodyLimit(inner), http_scope(content_length=1001))
    await communicator.send_input({"type": "http.request", "body": b"x" * 1001})
    status, body = await responses(communicator)
    # The platform's own page, stating the limit.
    assert status == 413 and body.startswith(b"<!doctype html>") and b"1000 B" in body
    await communicator.wait(1)
    assert not inner.called


async def test_a_streamed_body_is_refused_at_the_chunk_that_passes_the_limit(small_limit):
    inner = BodyReader()
    communicator = ApplicationCommunicator(RequestBodyLimit(inner), http_scope("/api/v1/me/"))
    for _ in range(3):
        await communicator.send_input({"type": "http.request", "body": b"x" * 400, "more_body": True})
    status, body = await responses(communicator)
    assert status == 413
    assert json.loads(body) == {"detail": gettext("The request body is too large.")}
    await communicator.wait(1)
    assert inner.disconnected and len(inner.body) == 800


async def test_a_body_within_the_limit_reaches_the_application(small_limit):
    inner = BodyReader()
    communicator = ApplicationCommunicator(RequestBodyLimit(inner), http_scope(content_length=1000))
    await communicator.send_input({"type": "http.request", "body": b"x" * 600, "more_body": True})
    await communicator.send_input({"type": "http.request", "body": b"x" * 400})
    assert await responses(communicator) == (200, b"read 1000")
    await communicator.wait(1)


# --- a real daphne process (what `make run` exposes) ---------------------------------------------


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):  # the process's peak resident size so far
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc")


def generated(size: int):
    block = b"x" * 65536
    for _ in range(size // len(block)):
        yield block


def post(base: str, path: str, pieces, *, length: int | None, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST the pieces (chunked when no length is given); returns the status and body answered."""
    host, port = base.removeprefix("http://").split(":")
    head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    head += "Transfer-Encoding: chunked\r\n\r\n" if length is None else f"Content-Length: {length}\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head.encode())
        try:
            for piece in pieces:
                connection.sendall(piece if length is not None else b"%x\r\n%s\r\n" % (len(piece), piece))
            if length is None:
                connection.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server closed after answering: read the answer below
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except OSError:
            pass
    head_part, _, body = answer.partition(b"\r\n\r\n")
    return int(head_part.split(b" ", 2)[1]), body


@pytest.fixture
def server(tcast):
    if not Path("/proc/self/status").exists():
        pytest.skip("measures memory through /proc (Linux)")
    with daphne() as base:
        yield base


def daphne_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = status.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"daphne" in command and port.encode() in command:
            return int(status.parent.name)
    raise AssertionError("daphne process not found")


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_anonymous_100_mb_post_is_refused_without_growing_daphne(server, chunked):
    pid = daphne_pid(server)
    # Warm up: the first requests load the views, templates and middleware.
    post(server, "/login/", [b"x" * 1000], length=1000, headers={})
    before = peak_memory_mb(pid)
    started = time.monotonic()
    status, _body = post(
        server, "/login/", generated(100 * MB), length=None if chunked else 100 * MB, headers={}
    )
    assert status == 413
    assert peak_memory_mb(pid) - before < 5
    assert time.monotonic() - started < 10


def test_a_logged_in_large_avatar_upload_is_refused_without_growing_daphne(server, tcast):
    pid = daphne_pid(server)
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie(tcast.member)}"
    headers = {"Cookie": cookie, "Content-Type": "multipart/form-data; boundary=b"}
    post(server, "/profile/edit/", [b"x" * 1000], length=1000, headers=headers)
    before = peak_memory_mb(pid)
    status, _body = post(server, "/profile/edit/", generated(100 * MB), length=100 * MB, headers=headers)
    assert status == 413
    assert peak_memory_mb(pid) - before < 5


def test_a_body_within_the_limit_still_reaches_the_application(server):
    body = json.dumps({"username": "x" * MB, "password": "x"}).encode()
    json_type = {"Content-Type": "application/json"}
    for length in (len(body), None):
        status, answer = post(server, "/api/v1/auth/token/", [body], length=length, headers=json_type)
        # Read and judged by the API: no such user (DRF reads no body without a Content-Length).
        assert status == 400
        assert set(json.loads(answer)) & {"non_field_errors", "username"}
