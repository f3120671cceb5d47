"""A notification's stored URL becomes a link only if it is a path on this site (the pages use
`Notification.link`, as the live toast's safeUrl does): the browser sweep stores `javascript:` URLs
in every text field, as the admin or an import could."""

from __future__ import annotations

import pytest

from platform_core.notifications.models import Notification


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("/challenges/1/", "/challenges/1/"),
        ("/showcase/?q=a#x", "/showcase/?q=a#x"),
        ("javascript:alert(1)", ""),
        (" /challenges/1/", ""),
        ("//evil.example/", ""),
        ("/\\evil.example/", ""),
        ("https://evil.example/", ""),
        ("", ""),
    ],
)
def test_only_a_path_on_this_site_becomes_a_link(url, link):
    assert Notification(url=url).link == link
