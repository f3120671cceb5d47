"""A browser asks /favicon.ico whatever the page declares (a PDF viewer, a JSON answer, an old
browser): it gets the platform's icon, not a 404."""

from __future__ import annotations

import io

from PIL import Image


def test_favicon_ico_is_the_platforms_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with Image.open(io.BytesIO(content)) as icon:
        assert icon.format == "ICO"
        assert (32, 32) in icon.info["sizes"]
