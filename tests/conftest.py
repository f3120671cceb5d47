from __future__ import annotations

import os

import pytest
from django.conf import settings

from tests.cast import make_cast
from tests.ldap_server import ldap_directory  # noqa: F401  (fixture: a real slapd, tests/ldap_server.py)
from tests.oidc_provider import oidc_portal  # noqa: F401  (fixture: a real OpenID Connect provider)
from tests.ws import Sockets


def _service_missing(reason: str):
    # CI sets REQUIRE_SERVICES=1: there a missing PostgreSQL or Redis is a failure, not a skip.
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test process talks to PostgreSQL without the connection pool.

    Django's create_test_db renames the database in the settings but keeps a pool opened before
    (by anything that touched the database first), whose connections still go to the database
    named in DATABASE_URL: the tests would run, and write, there instead of in the test database.
    The daphne processes some tests start get the test database's URL and do use the pool.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        if connection.settings_dict["OPTIONS"].pop("pool", None) is not None:
            settings.DATABASES[alias]["OPTIONS"].pop("pool", None)
            connection.close()
            connection.close_pool()
            connection.settings_dict["CONN_HEALTH_CHECKS"] = True


@pytest.fixture
def require_postgres():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        _service_missing("needs PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def require_redis():
    if not settings.REDIS_URL:
        _service_missing("needs Redis: set REDIS_URL=redis://…")


@pytest.fixture(autouse=True)
async def stop_hubs():
    """Stop each hub's reader inside its own event loop before the loop closes (cancelling a
    channels_redis receive while the loop shuts down can hang)."""
    yield
    from platform_core.realtime import hub

    for each in hub.all_hubs():
        await each.stop()


@pytest.fixture(autouse=True)
def fresh_channel_layers():
    """Each test gets its own channel layer and hub: nothing leaks between event loops."""
    from channels.layers import channel_layers

    from platform_core.realtime import hub

    channel_layers.backends = {}
    hub.forget_hubs()
    yield
    channel_layers.backends = {}
    hub.forget_hubs()


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttles and lockouts count in the cache; each test starts with none."""
    from django.core.cache import cache

    from platform_core.throttle_store import throttle_store

    cache.clear()
    throttle_store.local.clear()
    yield
    cache.clear()
    throttle_store.local.clear()


@pytest.fixture
async def sockets():
    """`await sockets.open(user)`: a websocket closed after the test, in every case."""
    opened = Sockets()
    try:
        yield opened
    finally:
        await opened.close_all()


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def tcast(transactional_db):
    return make_cast()


@pytest.fixture(scope="session", autouse=True)
def close_worker_thread_connections(django_db_setup, django_db_blocker):
    """Async tests reach the database from asgiref's shared worker thread; close its connection
    before the test database is dropped, or PostgreSQL refuses to drop a database in use."""
    yield
    import asyncio

    from asgiref.sync import sync_to_async
    from django.db import connections

    with django_db_blocker.unblock():
        asyncio.run(sync_to_async(connections.close_all, thread_sensitive=True)())
        connection = connections["default"]
        if connection.vendor == "postgresql":
            # Worker threads of finished event loops may still hold a connection; end them so
            # the test database can be dropped.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            connection.close()


@pytest.fixture
def api(cast):
    from rest_framework.test import APIClient

    client = APIClient()
    # A server error must show up as a 500 status here, not as an exception that hides it.
    client.raise_request_exception = False
    return client


def as_user(client, user):
    client.force_authenticate(user)
    return client


@pytest.fixture
def unreachable_cache(settings):
    # Nothing listens on port 1: every cache call fails at once, as during a Redis outage.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd, tests/mailserver.py), and Django's SMTP backend pointed at it."""
    from tests.mailserver import SmtpServer

    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://jbgs.example.com"
    settings.DEFAULT_FROM_EMAIL = "揭榜挂帅平台 <noreply@jbgs.example.com>"
    try:
        yield server
    finally:
        server.stop()
