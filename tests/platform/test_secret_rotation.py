"""Rotating SECRET_KEY: sessions signed with the old key keep working while it is a fallback."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.platform.test_settings import PRODUCTION, manage

OLD_KEY = "o" * 60
NEW_KEY = "n" * 60


@pytest.mark.django_db
def test_a_session_signed_with_the_old_key_survives_while_it_is_a_fallback(settings, cast):
    settings.SECRET_KEY = OLD_KEY
    visits_during_rotation, stays_away = Client(), Client()
    for client in (visits_during_rotation, stays_away):
        client.force_login(cast.member)
        assert client.get("/api/v1/me/").status_code == 200

    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]
    # Verified with the old key, and signed afresh with the new one on the way.
    assert visits_during_rotation.get("/api/v1/me/").status_code == 200

    settings.SECRET_KEY_FALLBACKS = []
    assert visits_during_rotation.get("/api/v1/me/").status_code == 200
    # A session nobody used while the old key was a fallback ends with its removal.
    assert stays_away.get("/api/v1/me/").status_code in {401, 403}


def test_the_fallbacks_come_from_a_file_one_key_a_line(tmp_path):
    keys = tmp_path / "old_keys"
    keys.write_text(f"{OLD_KEY}\n{'p' * 60}\n\n")
    code = "import json; from django.conf import settings; print(json.dumps(settings.SECRET_KEY_FALLBACKS))"
    result = manage(
        "shell", "--no-imports", "-c", code, env={**PRODUCTION, "SECRET_KEY_FALLBACKS_FILE": str(keys)}
    )
    assert json.loads(result.stdout) == [OLD_KEY, "p" * 60], result.stderr
