"""The websocket Origin rule (platform_core/realtime/security.py)."""

from __future__ import annotations

import pytest

from platform_core.realtime.security import origin_allowed


@pytest.fixture(autouse=True)
def hosts(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["jbgs.example.com"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://portal.example.com"]


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("https://jbgs.example.com", "jbgs.example.com", True),
        ("http://jbgs.example.com:8000", "jbgs.example.com:8000", True),
        ("https://jbgs.example.com:8080", "jbgs.example.com", False),  # another port of the host
        ("https://evil.example.com", "jbgs.example.com", False),
        ("https://evil.example.com", "evil.example.com", False),  # host not allowed
        ("https://portal.example.com", "jbgs.example.com", True),  # trusted origin
        ("null", "jbgs.example.com", False),
        ("file://", "jbgs.example.com", False),
        (None, "jbgs.example.com", False),
        ("", "jbgs.example.com", False),
        ("https://jbgs.example.com", None, True),
        ("https://other.example.com", None, False),
    ],
)
def test_origin_rule(origin, host, allowed):
    assert origin_allowed(origin, host) is allowed
