"""Security headers and cookies with production settings (DEBUG off), on one answer of every kind.

A real daphne runs with the production settings (tests/faults.production_env, the assets collected
as the release step does) and the test sends X-Forwarded-Proto: https as nginx does. Every kind of
answer is asked for: the home page, a list, a detail page, a form, an API answer, a static file and
a private file download, anonymously and logged in; and the login round trip sets the cookies.
"""

from __future__ import annotations

import http.client
import re
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from showcase.models import AchievementFile
from showcase.services import achievements
from tests.faults import production_env
from tests.pages.test_pages import EVENT_HANDLER, INLINE_SCRIPT
from tests.servers import daphne
from tests.showcase.conftest import make_achievement
from tests.ws import session_cookie

PASSWORD = "a-password-for-the-headers-test"
HSTS = "max-age=31536000; includeSubDomains; preload"


class Answer:
    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()
        self.cookies = SimpleCookie()
        for raw in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(raw)
        self.raw_cookies = response.headers.get_all("Set-Cookie") or []

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


def ask(
    base: str, path: str, *, method: str = "GET", cookies: dict[str, str] | None = None, **extra
) -> Answer:
    netloc = urlsplit(base).netloc
    connection = http.client.HTTPConnection(netloc, timeout=20)
    headers = {
        "X-Forwarded-Proto": "https",
        "Host": netloc,
        "Accept": "text/html",
        **extra.pop("headers", {}),
    }
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    try:
        connection.request(method, path, body=extra.pop("body", None), headers=headers)
        return Answer(connection.getresponse())
    finally:
        connection.close()


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0].lower(): (part[1] if len(part) > 1 else "") for part in parts}


def assert_transport_headers(answer: Answer, where: str) -> None:
    assert answer.header("Strict-Transport-Security") == HSTS, where
    assert answer.header("X-Content-Type-Options") == "nosniff", where
    assert answer.header("Referrer-Policy") == "same-origin", where


def assert_page_headers(answer: Answer, where: str, *, logged_in: bool) -> None:
    assert_transport_headers(answer, where)
    assert answer.header("X-Frame-Options") == "DENY", where
    policy = directives(answer.header("Content-Security-Policy"))
    assert policy.get("frame-ancestors") == "'none'", (where, policy)
    assert policy.get("script-src") == "'self'", (where, policy)
    assert policy.get("object-src") == "'none'", (where, policy)
    assert "unsafe-inline" not in answer.header("Content-Security-Policy"), where
    assert "unsafe-eval" not in answer.header("Content-Security-Policy"), where
    cache = {part.strip() for part in answer.header("Cache-Control").split(",")}
    if logged_in:
        assert {"private", "no-store"} <= cache, (where, cache)
    else:
        assert "no-store" not in cache or "private" in cache, (where, cache)
    if answer.header("Content-Type").startswith("text/html"):
        html = answer.body.decode()
        assert not INLINE_SCRIPT.search(html), (where, INLINE_SCRIPT.search(html))
        assert not EVENT_HANDLER.search(html), (where, EVENT_HANDLER.search(html))


@pytest.fixture
def production(tmp_path):
    # The private files stay where both processes look by default (beside MEDIA_ROOT).
    return production_env(tmp_path / "static", SECRET_KEY=settings.SECRET_KEY)


def test_every_kind_of_answer_carries_the_security_headers(tcast, production):
    tcast.member.set_password(PASSWORD)
    tcast.member.save()
    draft = make_achievement(tcast, publish=False, title="草稿成果")
    stored = achievements.achievement_file_add(
        actor=tcast.leader1,
        achievement=draft,
        upload=SimpleUploadedFile("方案.pdf", b"%PDF-1.4", content_type="application/pdf"),
        kind=AchievementFile.Kind.ATTACHMENT,
    )
    leader = {settings.SESSION_COOKIE_NAME: session_cookie(tcast.leader1)}
    pages = {
        "home": "/",
        "list": reverse("studios:list"),
        "detail": reverse("studios:detail", args=[tcast.studio1.pk]),
        "form": reverse("accounts:profile_edit"),
        "api": "/api/v1/me/",
    }
    with daphne(**production) as base:
        anonymous_home = ask(base, "/")
        assert anonymous_home.status == 200
        assert_page_headers(anonymous_home, "home, anonymous", logged_in=False)
        assert ask(base, reverse("challenges:board")).status == 200

        for kind, path in pages.items():
            answer = ask(
                base, path, cookies=leader, headers={"Accept": "application/json"} if kind == "api" else {}
            )
            assert answer.status == 200, (kind, answer.status, answer.body[:300])
            assert_page_headers(answer, kind, logged_in=True)

        # An API error (an unknown path) and an API refusal carry them too.
        for path, status in [("/api/v1/no-such-thing/", 404), ("/api/v1/me/", 403)]:
            answer = ask(base, path, headers={"Accept": "application/json"})
            assert answer.status == status
            assert_page_headers(answer, path, logged_in=False)

        # A static file, by the name the page links to (the collected, hashed one).
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', anonymous_home.body.decode()).group(1)
        static = ask(base, stylesheet)
        assert static.status == 200
        assert_transport_headers(static, "static")
        assert "max-age=" in static.header("Cache-Control")
        assert static.header("Content-Type").startswith("text/css")

        # A private file: streamed after the access check, as an attachment no browser runs.
        download = ask(base, reverse("showcase:file", args=[draft.pk, stored.pk]), cookies=leader)
        assert download.status == 200, download.body[:300]
        assert download.body == b"%PDF-1.4"
        assert_transport_headers(download, "download")
        assert download.header("Cache-Control") == "private, no-store"
        assert "attachment" in download.header("Content-Disposition")
        assert "sandbox" in download.header("Content-Security-Policy")
        assert download.header("X-Frame-Options") == "DENY"

        # Logging in sets the CSRF and session cookies with their rules.
        check_the_login_round_trip(base)
    stored.file.delete(save=False)


def check_the_login_round_trip(base: str) -> None:
    login = reverse("accounts:login")
    form = ask(base, login)
    assert form.status == 200
    assert_page_headers(form, "login form", logged_in=False)
    csrf = form.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] == "Lax" and csrf["path"] == "/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body.decode()).group(1)

    body = f"username=member&password={PASSWORD}&csrfmiddlewaretoken={token}"
    origin = "https://" + urlsplit(base).netloc
    # Without the CSRF cookie the post is refused.
    refused = ask(
        base,
        login,
        method="POST",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin},
    )
    assert refused.status == 403
    done = ask(
        base,
        login,
        method="POST",
        body=body,
        cookies={settings.CSRF_COOKIE_NAME: csrf.value},
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin},
    )
    assert done.status == 302, done.body[:500]
    session = done.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["path"] == "/"
    raw = next(each for each in done.raw_cookies if each.startswith(settings.SESSION_COOKIE_NAME))
    assert "Secure" in raw and "HttpOnly" in raw, raw
    # The new session works, over HTTPS only: a plain-HTTP request is sent to HTTPS first.
    profile = ask(base, reverse("accounts:profile"), cookies={settings.SESSION_COOKIE_NAME: session.value})
    assert profile.status == 200
    assert_page_headers(profile, "profile", logged_in=True)
    plain = ask(
        base,
        reverse("accounts:profile"),
        cookies={settings.SESSION_COOKIE_NAME: session.value},
        headers={"X-Forwarded-Proto": "http"},
    )
    assert plain.status == 301 and plain.header("Location").startswith("https://")


def test_no_template_has_an_inline_script_or_event_handler():
    """The policy forbids inline script: no template may carry any (the pages' JS is static)."""
    root = Path(settings.BASE_DIR).resolve()
    project_apps = [Path(app.path).resolve() for app in apps.get_app_configs()]
    templates = [
        path
        for app_path in project_apps
        if app_path.is_relative_to(root) and ".venv" not in app_path.relative_to(root).parts
        for path in (app_path / "templates").glob("**/*.html")
    ]
    assert len(templates) > 50
    offenders = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in templates
        for match in [INLINE_SCRIPT.search(path.read_text()), EVENT_HANDLER.search(path.read_text())]
        if match
    ]
    assert not offenders, offenders
