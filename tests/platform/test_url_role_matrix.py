"""Every URL, every role (issue 12): each URL pattern of the resolver, HTML and API, requested with
real objects (tests/platform/url_role_world.py) by every role of the cast and by an anonymous
visitor, against the statuses in tests/platform/url_role_table.py. Every write method a view
accepts is tried by every role too: a role outside the case's `may` gets the refusal the table
names (401, 403, 404, 405, a redirect to the login page, or where the page turns it away through
its form, the form again) and leaves no trace: the rows of the project's tables, the audit trail
and the stored realtime events are counted before and after. The Django admin and static or media
file serving are skipped; the websocket is not a URL pattern (tests/realtime covers it).

The world is built once for the module inside a transaction that is rolled back at the end; each
request runs in a savepoint that is rolled back too, so a write that is allowed changes nothing
the next request sees.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib.admin.sites import AdminSite
from django.core.cache import cache
from django.core.files import File
from django.db import connection, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve
from rest_framework.test import APIClient

from platform_core.throttle_store import throttle_store
from tests.cast import ROLES, make_cast
from tests.platform.url_role_table import ANONYMOUS, ROWS, Case, shown
from tests.platform.url_role_world import MatrixWorld, make_matrix_world

EVERYONE = (ANONYMOUS, *ROLES)
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The apps whose rows a write could leave behind (sessions are the test client's own doing).
WATCHED_APPS = {
    "accounts",
    "authtoken",
    "orgs",
    "notifications",
    "realtime",
    "audit",
    "challenges",
    "alliances",
    "learning",
    "showcase",
    "media",
    "consulting",
    "exchange",
}


def _skipped(pattern: URLPattern | URLResolver) -> bool:
    """The Django admin and static or media file serving are not the platform's own doors."""
    if isinstance(pattern, URLResolver):
        return pattern.app_name == "admin" or isinstance(getattr(pattern, "urlconf_name", None), AdminSite)
    return pattern.callback is serve


def url_patterns(patterns=None, namespace: str = "") -> dict[str, Callable]:
    """Every URL pattern the resolver knows, admin excluded: its name (with the namespace) and view."""
    found: dict[str, Callable] = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if _skipped(pattern):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names = url_patterns(pattern.url_patterns, inner)
            assert not set(names) & set(found), f"two URL patterns share a name: {set(names) & set(found)}"
            found.update(names)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern)
            assert name not in found, f"two URL patterns share the name {name}"
            found[name] = pattern.callback
    return found


def accepted_writes(view: Callable) -> set[str]:
    """The write methods a view handles: a DRF or class-based view's handlers; for a function view,
    the methods its `require_http_methods` allows, or POST when its code reads the request's method."""
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if view_class is not None:
        return {method for method in WRITE_METHODS if hasattr(view_class, method.lower())}
    layer: Callable | None = view
    while layer is not None:
        for cell in getattr(layer, "__closure__", None) or ():
            allowed = cell.cell_contents
            if isinstance(allowed, list) and allowed and set(allowed) <= set(WRITE_METHODS):
                return set(allowed)
        layer = getattr(layer, "__wrapped__", None)
    return (
        {"POST"}
        if any("request.method" in code or "request.POST" in code for code in _sources(view))
        else set()
    )


def _sources(view: Callable) -> list[str]:
    """The code of a function view and of the private helpers of its module it calls (a page may
    hand the request to a helper that handles both GET and POST)."""
    function = inspect.unwrap(view)
    module = inspect.getmodule(function)
    called = [getattr(module, name, None) for name in function.__code__.co_names if name.startswith("_")]
    helpers = [each for each in called if inspect.isfunction(each) and inspect.getmodule(each) is module]
    return [inspect.getsource(each) for each in (function, *helpers)]


def test_every_url_pattern_has_a_row():
    names = url_patterns()
    missing = [name for name in names if name not in ROWS]
    assert not missing, f"URL patterns without a row in tests/platform/url_role_table.py: {missing}"
    stale = [name for name in ROWS if name not in names]
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


def test_the_table_tries_every_write_each_view_accepts():
    wrong = [
        f"{name}: the view accepts {sorted(accepted)}, the table tries {sorted(case.writes)}"
        for name, view in url_patterns().items()
        if name in ROWS
        for accepted in [accepted_writes(view)]
        for case in ROWS[name]
        if set(case.writes) != accepted
    ]
    assert not wrong, "\n".join(wrong)


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    root = tmp_path_factory.mktemp("matrix")
    media = override_settings(MEDIA_ROOT=str(root / "media"), PRIVATE_MEDIA_ROOT=str(root / "private"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        yield make_matrix_world(make_cast())
        transaction.set_rollback(True)


def _count_query() -> tuple[str, list[str]]:
    """One query counting the rows of every watched table: a write is checked hundreds of times."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in WATCHED_APPS and model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables), tables


def snapshot() -> dict[str, int]:
    sql, tables = _count_query()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _status(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")):
        return "login"
    return response.status_code


def request(client: APIClient, method: str, url: str, data: dict | None) -> tuple[int | str, dict, dict]:
    """(status, rows before, rows after) of one request, run in a savepoint that is rolled back."""
    # The throttles count per client: a role's hundreds of requests must not trip them.
    cache.clear()
    throttle_store.local.clear()
    api = url.startswith("/api/")
    # Logging out or choosing a language changes the client's cookies: keep the role's own.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        before = snapshot() if method != "GET" else {}
        # API bodies go as JSON, unless they carry a file (multipart, as HTML forms do).
        uploads = data is not None and any(isinstance(value, File) for value in data.values())
        kwargs = {"format": "json"} if api and data is not None and not uploads else {}
        response = getattr(client, method.lower())(url, data, **kwargs)
        # A request that broke the transaction (a server error) changed nothing that will stay.
        after = snapshot() if method != "GET" and not connection.needs_rollback else before
        transaction.set_rollback(True)
    client.cookies = cookies
    return _status(response), before, after


def client_for(world: MatrixWorld, role: str) -> APIClient:
    client = APIClient()
    # A server error must show as a 500 in the table, not as an exception that stops the run.
    client.raise_request_exception = False
    if role != ANONYMOUS:
        client.force_login(getattr(world.cast, role))
    return client


def observe(
    world: MatrixWorld, client: APIClient, name: str, case: Case
) -> dict[str, tuple[int | str, bool]]:
    """What the client's role gets for each method of this case: (status, whether rows changed)."""
    url = case.url(world, name)
    seen: dict[str, tuple[int | str, bool]] = {}
    for method in ("GET", *case.writes):
        status, before, after = request(client, method, url, None if method == "GET" else case.body(world))
        seen[method] = (status, before != after)
    return seen


# The mark makes pytest-django create the test database; the module's world lives in it.
@pytest.mark.django_db
@pytest.mark.parametrize("role", EVERYONE)
def test_each_url_answers_each_role_as_the_table_says(matrix, role):
    wrong: list[str] = []
    # One client per role: each new client loads the middleware again (WhiteNoise scans the files).
    client = client_for(matrix, role)
    for name, cases in ROWS.items():
        for case in cases:
            for method, (status, changed) in observe(matrix, client, name, case).items():
                expected = case.expected(method, role)
                label = f"{method} {name}{f' [{case.label}]' if case.label else ''}"
                if status != expected:
                    wrong.append(f"{label}: {shown(status)}, the table says {shown(expected)}")
                if method != "GET" and role not in case.may and changed:
                    wrong.append(f"{label}: {shown(status)}, and rows changed though the role may not")
                if method != "GET" and role in case.may and not changed:
                    wrong.append(f"{label}: {shown(status)}, and nothing changed though the role may")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
