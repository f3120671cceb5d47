"""The API's lists opened in a browser (Accept: text/html) render DRF's browsable API: they used to
answer 500, as the browsable API asked these views, which have no queryset, for a filter form."""

from __future__ import annotations

import pytest

LISTS = [
    "/api/v1/challenges/",
    "/api/v1/problems/",
    "/api/v1/achievements/",
    "/api/v1/rounds/",
    "/api/v1/inquiries/",
]


@pytest.mark.parametrize("url", LISTS)
def test_a_list_opened_in_a_browser_is_a_page(api, cast, url):
    api.force_login(cast.admin)
    response = api.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert api.get(url, HTTP_ACCEPT="application/json")["Content-Type"] == "application/json"
