"""A real OpenID Connect provider for the portal sign-in tests: panva's oidc-provider (npm, a
devDependency in package.json) run by node from tests/accounts/oidc/provider.mjs, on a free port,
with one registered client and the people of PEOPLE (their claims in a JSON file it reads at each
sign-in, so a test changes them with `portal.set_claims`).

`oidc_portal` (a fixture) starts it and points the platform's settings at it. `portal.sign_in`
walks the provider's own sign-in and consent pages with `requests` (its development pages take any
password for a known person) between the Django test client's start and callback. Without node or
the npm package the tests skip, unless REQUIRE_SERVICES=1 (CI), where they fail.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.servers import ROOT, free_port

NODE = shutil.which("node") or "/usr/bin/node"
SCRIPT = ROOT / "tests" / "accounts" / "oidc" / "provider.mjs"
PACKAGE = ROOT / "node_modules" / "oidc-provider"
CLIENT_ID = "jbgs-platform"
CLIENT_SECRET = "client-secret-for-tests"
SCOPES = "openid profile email phone org"
TEST_SERVER = "http://testserver"

# The portal's people: their subject (the stable id) and claims.
PEOPLE = {
    "7f3c-zhao": {
        "preferred_username": "zhaolei",
        "name": "赵磊",
        "given_name": "磊",
        "family_name": "赵",
        "email": "zhaolei@corp.example",
        "phone_number": "010-6666 1234",
        "department": "门户单位",
        "title": "高级工程师",
        "groups": ["jbgs-posters"],
    },
    "9a1d-sun": {
        "preferred_username": "sunli",
        "name": "孙丽",
        "email": "sunli@corp.example",
        "department": "门户单位",
        "title": "工程师",
        "groups": ["staff"],
    },
    # The cast has a local `member`: the portal's member must not take it over.
    "4b2e-member": {"preferred_username": "member", "name": "门户成员", "groups": []},
}
GROUP_GRANTS = {
    "jbgs-posters": [{"grant": "poster"}],
    "jbgs-experts-tech": [{"grant": "expert", "committee": "technical"}],
}


def _missing(reason: str):
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def _form(html: str) -> tuple[str, dict[str, str]]:
    """The first form of a provider page: its action and its fields' names and values (the
    provider's pages are its own, small and regular)."""
    action = re.search(r'<form[^>]*action="([^"]*)"', html)
    assert action, f"no form on the provider's page:\n{html[:2000]}"
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    return unescape(action.group(1)), fields


@dataclass
class Portal:
    root: Path
    port: int
    app_port: int  # the daphne port a browser test serves the platform on (a registered redirect)
    people: dict[str, dict] = field(default_factory=lambda: copy.deepcopy(PEOPLE))
    process: subprocess.Popen | None = None
    http: object = None  # the person's browser at the provider: a requests.Session

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environ(self) -> dict[str, str]:
        """The platform's OIDC_* environment for this provider (docs/deployment.md)."""
        secret_file = self.root / "client-secret"
        secret_file.write_text(CLIENT_SECRET + "\n", encoding="utf-8")
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET_FILE": str(secret_file),
            "OIDC_SCOPES": SCOPES,
            "OIDC_TIMEOUT": "3",
            "DIRECTORY_GROUP_GRANTS": json.dumps(GROUP_GRANTS),
        }

    def apply(self, settings, **environ: str) -> None:
        """Point this process's settings at the provider (pytest-django's `settings` fixture)."""
        from platform_core.accounts.oidc_config import OIDC_BACKEND, oidc_settings

        for name, value in oidc_settings({**self.environ(), **environ}).items():
            setattr(settings, name, value)
        settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", OIDC_BACKEND]
        settings.DIRECTORY_GROUP_GRANTS = GROUP_GRANTS

    def set_claims(self, sub: str, **claims) -> None:
        self.people[sub].update(claims)
        self._write_people()

    def _write_people(self) -> None:
        (self.root / "accounts.json").write_text(
            json.dumps(self.people, ensure_ascii=False), encoding="utf-8"
        )

    def start(self) -> None:
        self._write_people()
        bases = [TEST_SERVER, f"http://127.0.0.1:{self.app_port}"]
        config = {
            "port": self.port,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{base}/oidc/callback/" for base in bases],
            "post_logout_redirect_uris": [f"{base}/" for base in bases],
            "accounts_file": str(self.root / "accounts.json"),
        }
        (self.root / "config.json").write_text(json.dumps(config), encoding="utf-8")
        log = (self.root / "provider.log").open("ab")
        self.process = subprocess.Popen(
            [NODE, str(SCRIPT), str(self.root / "config.json")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 20
        line = self.process.stdout.readline()
        if not line.startswith("ready") or time.monotonic() > deadline:
            self.stop()
            raise RuntimeError(f"the provider did not start:\n{(self.root / 'provider.log').read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def walk(self, url: str, login: str | None = None):
        """Follow the provider from `url` (signing in as `login` and consenting when it asks)
        until it sends the browser back to the test server; returns that URL's path and query."""
        response = self.http.get(url, allow_redirects=False)
        for _step in range(20):
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                if url.startswith(TEST_SERVER):
                    return url[len(TEST_SERVER) :]
                response = self.http.get(url, allow_redirects=False)
                continue
            assert response.status_code == 200, response.text[:2000]
            action, fields = _form(response.text)
            if "login" in fields:
                assert login is not None, "the provider asked for a sign-in"
                fields.update(login=login, password="any password")
            if "xsrf" in fields:
                fields["logout"] = "yes"  # the sign-out page's "Yes, sign me out"
            url = urljoin(url, action)
            response = self.http.post(url, data=fields, allow_redirects=False)
        raise AssertionError("the provider never sent the browser back")

    def sign_in(self, client, login: str | None, *, start: str = "/oidc/start/"):
        """The person presses the button and signs in at the portal as `login`; returns the
        platform's answer to the provider's callback."""
        started = client.get(start)
        assert started.status_code == 302, started
        assert started["Location"].startswith(f"{self.issuer}/auth?"), started["Location"]
        return client.get(self.walk(started["Location"], login))


@pytest.fixture
def oidc_portal(tmp_path, settings):
    """A running provider, the platform's settings pointed at it, stopped at the end."""
    if not Path(NODE).exists():
        _missing("needs node (apt-get install nodejs npm)")
    if not PACKAGE.exists():
        _missing("needs the npm package oidc-provider (npm ci)")
    import requests

    root = tmp_path / "oidc"
    root.mkdir()
    portal = Portal(root=root, port=free_port(), app_port=free_port(), http=requests.Session())
    portal.start()
    portal.apply(settings)
    try:
        yield portal
    finally:
        portal.stop()
