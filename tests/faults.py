"""PostgreSQL and Redis instances of a test's own, to stop and start while the platform runs.

The fault tests never touch the shared services (CI and the other tests use them): each starts its
own server in a temporary directory on a free port and removes it afterwards.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.servers import ROOT, free_port


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    # The server refuses to run as root; CI runs as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class OwnPostgres:
    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="jbgs-pg-", dir="/tmp"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.log = self.directory / "server.log"
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.directory, postgres.pw_uid, postgres.pw_gid)
        subprocess.run(
            _as_postgres([_postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]),
            check=True,
            capture_output=True,
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/jbgs"

    def start(self) -> None:
        subprocess.run(
            _as_postgres(
                [
                    _postgres_bin("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-w",
                    "-o",
                    f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([_postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
        )

    def create_database(self) -> None:
        subprocess.run(
            [_postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "jbgs"],
            check=True,
            capture_output=True,
        )
        manage("migrate", "--noinput", "-v0", DATABASE_URL=self.url)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@contextlib.contextmanager
def own_postgres():
    """A migrated PostgreSQL of the test's own: `.url`, `.stop()`, `.start()`."""
    server = OwnPostgres()
    try:
        server.start()
        server.create_database()
        yield server
    finally:
        server.remove()


class OwnRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@contextlib.contextmanager
def own_redis():
    """A Redis of the test's own (nothing kept on disk): `.url`, `.stop()`, `.start()`."""
    server = OwnRedis()
    try:
        server.start()
        yield server
    finally:
        server.stop()


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", **env},
        check=True,
        capture_output=True,
        text=True,
    )


def production_env(static_root: Path, **extra: str) -> dict[str, str]:
    """The guide's production settings for a daphne on this host (plain HTTP: the tests send
    X-Forwarded-Proto as nginx does), with the assets collected as the release step does."""
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(static_root),
        "DB_CONN_MAX_AGE": "",
        **extra,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return env


def new_session(database_url: str, username: str, secret_key: str) -> str:
    """A user and a signed-in session in that database; returns the session key. The session
    carries a hash made with `secret_key`: the server's, or it would not take the session."""
    code = (
        "from django.contrib.auth import get_user_model; from django.test import Client; "
        f"user = get_user_model().objects.create_user({username!r}, password='pw-for-faults-1'); "
        "client = Client(); client.force_login(user); print(client.cookies['sessionid'].value)"
    )
    return manage(
        "shell", "--no-imports", "-c", code, DATABASE_URL=database_url, SECRET_KEY=secret_key
    ).stdout.strip()
