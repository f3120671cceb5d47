from __future__ import annotations

import pytest
from django.test import override_settings

from tests.consulting.world import make_consulting_world


@pytest.fixture
def world(cast, tmp_path):
    with override_settings(PRIVATE_MEDIA_ROOT=str(tmp_path / "private")):
        yield make_consulting_world(cast)
