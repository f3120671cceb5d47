"""A real OpenLDAP server for the directory sign-in tests: Debian's slapd, started as a process of
the test on a free port, with a configuration file and an mdb database in a temporary folder,
loaded from tests/accounts/ldap/directory.ldif with slapadd.

`ldap_directory` (a fixture) gives a fresh directory per test and points the platform's settings at
it (LDAP backend on, the group → grant table of the tests). Without slapd or python-ldap the tests
skip, unless REQUIRE_SERVICES=1 (CI), where they fail.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.servers import ROOT, free_port

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"
LDIF = ROOT / "tests" / "accounts" / "ldap" / "directory.ldif"
SUFFIX = "dc=corp,dc=example"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory-admin-pw"
# The people of directory.ldif, with their passwords.
PASSWORDS = {
    "zhangwei": "zhangwei-pw",
    "lina": "lina-pw",
    "chenjing": "chenjing-pw",
    "wangwu": "wangwu-pw",  # employeeType: disabled
    "member": "member-pw",  # the cast has a local `member`
}
# Disabled people (employeeType: disabled) are left out, as an operator's filter would.
USER_FILTER = "(&(objectClass=inetOrgPerson)(uid=%(user)s)(!(employeeType=disabled)))"
GROUP_GRANTS = {
    "jbgs-posters": [{"grant": "poster"}],
    "jbgs-experts-tech": [{"grant": "expert", "committee": "technical"}],
    "jbgs-admins-g": [{"grant": "admin", "group": "集团G", "level": "group"}],
}

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
argsfile {root}/slapd.args

database mdb
maxsize 33554432
suffix "{suffix}"
rootdn "{admin}"
rootpw {password}
directory {root}/data
index objectClass eq
index uid eq
index member eq
"""


def user_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE}"


def group_dn(name: str) -> str:
    return f"cn={name},{GROUPS}"


@dataclass
class Directory:
    root: Path
    port: int
    process: subprocess.Popen | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.root / "slapd.log"

    @property
    def uri(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    def environ(self) -> dict[str, str]:
        """The platform's LDAP_* environment for this directory (docs/deployment.md)."""
        password_file = self.root / "bind-password"
        password_file.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
        return {
            "LDAP_SERVER_URI": self.uri,
            "LDAP_BIND_DN": ADMIN_DN,
            "LDAP_BIND_PASSWORD_FILE": str(password_file),
            "LDAP_USER_SEARCH_BASE": PEOPLE,
            "LDAP_USER_SEARCH_FILTER": USER_FILTER,
            "LDAP_GROUP_SEARCH_BASE": GROUPS,
            "LDAP_GROUP_SEARCH_FILTER": "(objectClass=groupOfNames)",
            "LDAP_GROUP_TYPE": "groupOfNames",
            "LDAP_TIMEOUT": "3",
        }

    def start(self) -> None:
        self.process = subprocess.Popen(
            # -d keeps slapd in the foreground, a child of the test; its log goes to a file.
            [SLAPD, "-f", str(self.root / "slapd.conf"), "-h", f"{self.uri}/", "-d", "0"],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 15
        while True:
            try:
                self.connection().unbind_s()
                return
            except Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = self.log.read_text(errors="replace")
                    raise RuntimeError(f"slapd did not start:\n{log}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def connection(self):
        import ldap

        connection = ldap.initialize(self.uri)
        connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 2)
        connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
        return connection

    def replace(self, dn: str, **attributes: str | None) -> None:
        """Set (or, with None, remove) attributes of an entry, as the directory's admin would."""
        import ldap

        changes = [
            (ldap.MOD_REPLACE, name, None if value is None else [value.encode()])
            for name, value in attributes.items()
        ]
        connection = self.connection()
        try:
            connection.modify_s(dn, changes)
        finally:
            connection.unbind_s()

    def remove_member(self, group: str, uid: str) -> None:
        import ldap

        connection = self.connection()
        try:
            connection.modify_s(group_dn(group), [(ldap.MOD_DELETE, "member", [user_dn(uid).encode()])])
        finally:
            connection.unbind_s()

    def delete(self, dn: str) -> None:
        connection = self.connection()
        try:
            connection.delete_s(dn)
        finally:
            connection.unbind_s()


def _missing(reason: str):
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@contextlib.contextmanager
def running_directory(tmp_path: Path):
    """A slapd loaded with directory.ldif, on a free port, stopped at the end."""
    if not (Path(SLAPD).exists() and Path(SLAPADD).exists()):
        _missing("needs slapd and slapadd (apt-get install slapd ldap-utils)")
    try:
        import django_auth_ldap  # noqa: F401
        import ldap  # noqa: F401
    except ImportError:
        _missing("needs python-ldap and django-auth-ldap (pip install -r requirements.lock)")
    root = tmp_path / "slapd"
    (root / "data").mkdir(parents=True)
    (root / "slapd.conf").write_text(
        CONFIG.format(root=root, suffix=SUFFIX, admin=ADMIN_DN, password=ADMIN_PASSWORD), encoding="utf-8"
    )
    subprocess.run(
        [SLAPADD, "-f", str(root / "slapd.conf"), "-l", str(LDIF)],
        check=True,
        capture_output=True,
    )
    directory = Directory(root=root, port=free_port())
    directory.start()
    try:
        yield directory
    finally:
        directory.stop()


@pytest.fixture
def ldap_directory(tmp_path, settings):
    """A fresh directory for this test, and the platform signing in against it."""
    from platform_core.accounts.ldap_config import LDAP_BACKEND, ldap_settings

    with running_directory(tmp_path) as directory:
        for name, value in ldap_settings(directory.environ()).items():
            setattr(settings, name, value)
        settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", LDAP_BACKEND]
        settings.DIRECTORY_GROUP_GRANTS = GROUP_GRANTS
        settings.DIRECTORY_UNIT_MAP = {}
        yield directory
