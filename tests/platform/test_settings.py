"""Settings from the environment, and a clean `check --deploy` with production settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from platform_core.settings import BASE_DIR, database_from_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "p" * 20 + "-a-long-random-production-secret-key-" + "q" * 20,
    "ALLOWED_HOSTS": "jbgs.intra.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://jbgs.intra.example.com",
    "DATABASE_URL": "postgres://jbgs:secret@db.intra:5432/jbgs",
    "REDIS_URL": "redis://redis.intra:6379/0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_secret_key_is_required_unless_debug():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) is required" in result.stderr


def test_secret_key_may_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("f" * 60 + "\n")
    env = {**{k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}, "SECRET_KEY_FILE": str(secret)}
    result = manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", env=env
    )
    assert result.stdout.strip() == "f" * 60, result.stderr


def test_redis_url_switches_the_channel_layer_and_the_cache():
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.CHANNEL_LAYERS['default']['BACKEND'], s.CACHES['default']['BACKEND']]))"
    )
    with_redis = json.loads(manage("shell", "--no-imports", "-c", code, env=PRODUCTION).stdout)
    assert with_redis == [
        "channels_redis.core.RedisChannelLayer",
        "django.core.cache.backends.redis.RedisCache",
    ]
    embedded = json.loads(manage("shell", "--no-imports", "-c", code, env={"DEBUG": "1"}).stdout)
    assert embedded == [
        "channels.layers.InMemoryChannelLayer",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_database_urls_are_parsed():
    postgres = database_from_url("postgres://u%40x:p%2Fw@db.example:6432/name?sslmode=require")
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["USER"], postgres["PASSWORD"], postgres["HOST"], postgres["PORT"], postgres["NAME"]) == (
        "u@x",
        "p/w",
        "db.example",
        "6432",
        "name",
    )
    assert postgres["OPTIONS"]["sslmode"] == "require"
    assert postgres["OPTIONS"]["pool"]["max_size"] == 10
    assert database_from_url("sqlite:///var/x.sqlite3")["NAME"] == str(BASE_DIR / "var" / "x.sqlite3")
    assert database_from_url("sqlite:////tmp/abs.sqlite3")["NAME"] == "/tmp/abs.sqlite3"
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://localhost/x")
