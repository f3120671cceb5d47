"""A production process holds at most DB_POOL_MAX_SIZE PostgreSQL connections, whatever the load.

Before the pool, 16 logged-in clients against one daphne with DB_CONN_MAX_AGE=60 got 500s ("too
many clients already"): under ASGI every request runs in a thread of its own and each thread kept
its own connection.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client

from tests import servers

POOL_SIZE = 4
CLIENTS = 64
LOAD_SECONDS = 4
APPLICATION_NAME = "jbgs-pool-test"
METRICS_TOKEN = "t" * 40


def _connections_of_the_server(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APPLICATION_NAME]
        ).fetchone()
    return int(row[0]) if row else 0


@pytest.mark.django_db(transaction=True)
def test_a_production_process_never_holds_more_connections_than_its_pool(require_postgres, tmp_path):
    from tests.cast import make_cast

    cast = make_cast()
    client = Client()
    client.force_login(cast.leader1)
    session_cookie = f"sessionid={client.cookies['sessionid'].value}"

    static_root = tmp_path / "static"
    production = {
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(static_root),
        "DB_POOL_MAX_SIZE": str(POOL_SIZE),
        "DB_CONN_MAX_AGE": "",
        "METRICS_TOKEN": METRICS_TOKEN,
        "DATABASE_URL": f"{servers.test_database_url()}?application_name={APPLICATION_NAME}",
    }
    # The guide's release step: pages name their assets through the collected manifest.
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=servers.ROOT,
        env={**os.environ, **production, "SECRET_KEY": "s" * 60},
        capture_output=True,
        text=True,
    )
    assert collect.returncode == 0, collect.stderr

    dsn = connection.settings_dict
    probe_dsn = psycopg.conninfo.make_conninfo(
        host=dsn["HOST"] or "127.0.0.1",
        port=dsn["PORT"] or 5432,
        dbname=dsn["NAME"],
        user=dsn["USER"],
        password=dsn["PASSWORD"] or None,
    )

    statuses: Counter[int] = Counter()
    failures: list[str] = []
    most_connections = 0
    stop = threading.Event()

    with servers.daphne_server(**production) as server:
        address = urlsplit(server.base)

        def one_client(index: int) -> None:
            paths = ["/api/v1/me/", "/", "/api/v1/notifications/", "/challenges/"]
            conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
            turn = index
            while not stop.is_set():
                path = paths[turn % len(paths)]
                turn += 1
                try:
                    conn.request(
                        "GET",
                        path,
                        headers={
                            "Cookie": session_cookie,
                            # As nginx says it: the request came over TLS (SECURE_PROXY_SSL_HEADER).
                            "X-Forwarded-Proto": "https",
                        },
                    )
                    response = conn.getresponse()
                    response.read()
                    statuses[response.status] += 1
                except (OSError, http.client.HTTPException) as exc:
                    failures.append(f"{path}: {exc!r}")
                    conn.close()
                    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
            conn.close()

        workers = [threading.Thread(target=one_client, args=(i,)) for i in range(CLIENTS)]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + LOAD_SECONDS
        while time.monotonic() < deadline:
            most_connections = max(most_connections, _connections_of_the_server(probe_dsn))
            time.sleep(0.05)
        stop.set()
        for worker in workers:
            worker.join(timeout=90)
        most_connections = max(most_connections, _connections_of_the_server(probe_dsn))
        scraper = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        scraper.request("GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        scrape = scraper.getresponse()
        scraped = scrape.read().decode()
        scraper.close()
        log = (servers.ROOT / "var" / f"daphne-{address.port}.log").read_text(errors="replace")

    assert not failures, failures[:5]
    assert sum(statuses.values()) >= CLIENTS, statuses
    assert set(statuses) == {200}, (statuses, log[-3000:])
    assert 0 < most_connections <= POOL_SIZE, most_connections
    # The process reports its pool to the operator's monitoring.
    assert scrape.status == 200, scraped
    figures = dict(line.rsplit(" ", 1) for line in scraped.splitlines() if line.startswith("jbgs_db_pool"))
    assert float(figures["jbgs_db_pool_max_size"]) == POOL_SIZE
    assert float(figures["jbgs_db_pool_size"]) <= POOL_SIZE


def test_the_pool_refuses_persistent_per_thread_connections(monkeypatch):
    from platform_core.settings import database_from_url

    monkeypatch.setenv("DB_POOL_MAX_SIZE", "8")
    monkeypatch.setenv("DB_CONN_MAX_AGE", "60")
    with pytest.raises(ImproperlyConfigured, match="DB_CONN_MAX_AGE"):
        database_from_url("postgres://u@db/name")


def test_the_pool_is_sized_from_the_environment(monkeypatch):
    from platform_core.settings import database_from_url

    monkeypatch.setenv("DB_POOL_MAX_SIZE", "6")
    monkeypatch.setenv("DB_POOL_MIN_SIZE", "1")
    monkeypatch.delenv("DB_CONN_MAX_AGE", raising=False)
    db = database_from_url("postgres://u@db/name?sslmode=require")
    assert db["OPTIONS"]["pool"]["max_size"] == 6
    assert db["OPTIONS"]["pool"]["min_size"] == 1
    assert db["OPTIONS"]["sslmode"] == "require"
    assert db["CONN_MAX_AGE"] == 0

    monkeypatch.setenv("DB_POOL_MAX_SIZE", "0")
    monkeypatch.setenv("DB_CONN_MAX_AGE", "30")
    without_pool = database_from_url("postgres://u@db/name")
    assert "pool" not in without_pool["OPTIONS"]
    assert without_pool["CONN_MAX_AGE"] == 30
