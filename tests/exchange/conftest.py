from __future__ import annotations

import pytest

from tests.exchange.world import make_exchange_world


@pytest.fixture
def world(cast, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return make_exchange_world(cast)
