"""The API documentation pages work on an intranet: everything is served locally."""

from __future__ import annotations

import re

import pytest

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_api_docs_load_nothing_from_outside(client, cast, path):
    client.force_login(cast.member)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert "fonts.googleapis.com" not in html
    # The docs pages alone may use inline styles (the bundled UIs need them).
    assert "'unsafe-inline'" in response.headers["Content-Security-Policy"]


def test_other_pages_keep_the_strict_policy(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy


def test_the_swagger_script_is_served_locally(client, cast):
    client.force_login(cast.member)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_schema_describes_the_api(client, cast):
    client.force_login(cast.member)
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/realtime/events/" in schema["paths"]
    assert "/api/v1/studios/{id}/members/" in schema["paths"]
