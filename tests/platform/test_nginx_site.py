"""deploy/nginx/jbgs.conf in a real nginx, in front of a real daphne: TLS, the websocket upgrade,
static files, the size limits, the internal location of private files.

The site file is used as shipped; only what differs on a test host is replaced: ports, paths, the
certificate (made here) and the upstream (the test's daphne).
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from websockets.asyncio.client import connect

from alliances.services import rooms
from tests.alliances.conftest import make_team
from tests.conftest import _service_missing
from tests.faults import production_env
from tests.servers import ROOT, daphne_server, free_port
from tests.ws import session_cookie

SITE = ROOT / "deploy" / "nginx" / "jbgs.conf"
PDF = b"%PDF-1.4 private"


def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def render_site(
    directory: Path, *, upstream: str, http_port: int, https_port: int, static: Path, private: Path
) -> str:
    site = SITE.read_text()
    site = re.sub(
        r"upstream jbgs_app \{.*?\n\}", f"upstream jbgs_app {{\n    server {upstream};\n}}", site, flags=re.S
    )
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};").replace("listen [::]:80;", "")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("listen [::]:443 ssl http2;", "")
    site = site.replace("/etc/jbgs/tls/", f"{directory}/tls/")
    site = site.replace("/srv/jbgs/static/", f"{static}/")
    site = site.replace("/srv/jbgs/media/", f"{directory}/media/")
    site = site.replace("/srv/jbgs/private/", f"{private}/")
    return site


@pytest.fixture
def nginx_site(tmp_path):
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        _service_missing("needs nginx (apt-get install nginx)")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    (tmp_path / "tls").mkdir()
    for folder in ("media", "private", "temp"):
        (tmp_path / folder).mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=jbgs.test",
            "-keyout",
            str(tmp_path / "tls" / "privkey.pem"),
            "-out",
            str(tmp_path / "tls" / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return nginx, tmp_path


@pytest.mark.django_db(transaction=True)
def test_the_shipped_nginx_site_fronts_the_platform(nginx_site, cast, settings):
    nginx, directory = nginx_site
    http_port, https_port = free_port(), free_port()
    # A chat file, stored as the platform stores them; daphne and nginx are pointed there.
    room = make_team(cast).room
    stored = rooms.attachment_upload(
        actor=cast.member,
        room=room,
        upload=SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf"),
    )
    download = reverse("api-room-attachment-download", args=[room.pk, stored.pk])
    private_root = Path(stored.file.storage.location)
    env = production_env(
        directory / "static",
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{https_port}",
        USE_X_FORWARDED_FOR="1",
        # The session cookie below is signed with the test process's key.
        SECRET_KEY=settings.SECRET_KEY,
        PRIVATE_MEDIA_ROOT=str(private_root),
        PRIVATE_MEDIA_ACCEL_PREFIX="/_protected/",
    )
    with daphne_server(**env) as server:
        site = render_site(
            directory,
            upstream=server.base.removeprefix("http://"),
            http_port=http_port,
            https_port=https_port,
            static=directory / "static",
            private=private_root,
        )
        (directory / "site.conf").write_text(site)
        temp = directory / "temp"
        (directory / "nginx.conf").write_text(
            f"""
user root;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {directory}/site.conf;
}}
"""
        )
        check = subprocess.run(
            [nginx, "-t", "-c", str(directory / "nginx.conf")], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stderr
        process = subprocess.Popen([nginx, "-c", str(directory / "nginx.conf"), "-g", "daemon off;"])
        try:
            _wait_for_port(https_port)
            _check_the_site(
                directory, http_port, https_port, session_cookie(cast.member), download, stored.file.name
            )
        finally:
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket_to(port):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not start")


def socket_to(port: int):
    import socket

    return socket.create_connection(("127.0.0.1", port), timeout=1)


def request(port: int, method: str, path: str, *, tls: bool = True, body: bytes | None = None, headers=None):
    if tls:
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=15, context=_tls_context())
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _check_the_site(
    directory: Path, http_port: int, https_port: int, cookie: str, download: str, download_path: str
) -> None:
    # Plain HTTP goes to HTTPS.
    status, headers, _ = request(http_port, "GET", "/challenges/", tls=False)
    assert status == 301 and headers["Location"].startswith("https://")

    # Pages through the proxy (TLS seen by the application through X-Forwarded-Proto: no redirect).
    status, headers, body = request(https_port, "GET", "/")
    assert status == 200, body[:300]
    assert "Strict-Transport-Security" in headers

    # Static files, from STATIC_ROOT, cached for long.
    manifest = json.loads((directory / "static" / "staticfiles.json").read_text())
    css = next(name for name in manifest["paths"].values() if name.endswith(".css"))
    status, headers, _ = request(https_port, "GET", f"/static/{css}")
    assert status == 200
    assert "immutable" in headers["Cache-Control"]

    # A URL longer than the header buffers: nginx answers 414 (daphne would drop it silently).
    status, _, _ = request(https_port, "GET", "/challenges/?q=" + "x" * 20_000)
    assert status == 414

    # A body over the largest upload: 413 from nginx, before daphne reads it; over the limit of a
    # path that takes no upload: 413 from daphne's guard, by its Content-Length.
    status, _, _ = request(https_port, "POST", "/api/v1/token/", body=b"x" * (24 * 1024 * 1024))
    assert status == 413
    status, headers, _ = request(https_port, "POST", "/api/v1/token/", body=b"x" * (5 * 1024 * 1024))
    assert status == 413 and headers["Content-Type"] == "application/json"

    # Private files are never served from outside, even by their path.
    status, _, body = request(https_port, "GET", "/_protected/" + download_path)
    assert status == 404 and b"confidential" not in body

    # A private file: the application checks access, nginx sends it (X-Accel-Redirect stays inside).
    status, headers, body = request(https_port, "GET", download, headers={"Cookie": f"sessionid={cookie}"})
    assert status == 200 and body == PDF
    assert "X-Accel-Redirect" not in headers
    assert headers["Cache-Control"] == "private, no-store"
    status, _, body = request(https_port, "GET", download)
    assert status in {401, 403} and body != PDF

    # The websocket upgrade, over TLS, with the session cookie.
    async def socket_through_the_proxy() -> dict:
        origin = f"https://127.0.0.1:{https_port}"
        async with connect(
            f"wss://127.0.0.1:{https_port}/ws/",
            ssl=_tls_context(),
            origin=origin,
            additional_headers={"Cookie": f"sessionid={cookie}"},
        ) as ws:
            return json.loads(await asyncio.wait_for(ws.recv(), 10))

    hello = asyncio.run(socket_through_the_proxy())
    assert hello["type"] == "subscribed" and hello["topic"].startswith("user:")
    assert os.path.exists(directory / "nginx.pid")
