"""Schemathesis over every operation of the API, as each kind of caller, with its stateful phase.

The schema the fuzz reads is the one /api/schema/ serves (drf-spectacular); the requests go to the
platform's own middleware and views in this process (WSGI, the test database with the demo data),
so a fresh clone's `make test` runs it. Checks: no 5xx; every status, content type and body is the
one the schema documents for the operation; a request the schema says is invalid gets a 4xx; every
error is in the API's one error format. Bounded and derandomised (a fixed seed, no example
database), so CI sees the same cases each run: docs/testing.md "API fuzzing".
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from rest_framework import throttling
from rest_framework.authtoken.models import Token
from schemathesis import checks as st_checks
from schemathesis.core.failures import FailureGroup
from schemathesis.pytest.lazy import get_all_tests
from schemathesis.specs.openapi import checks as openapi_checks

from platform_core.accounts.models import User

# The caller kinds of the issue, as the demo logins (platform_core/demo.py): None is anonymous.
ROLES = {
    "anonymous": None,
    "member": "member1",
    "leader": "leader1",
    "poster": "poster",
    "expert": "expert1",
    "union_admin": "admin",
}
# Cases per operation and role (each generation mode), and steps per stateful scenario. `FUZZ_SCALE`
# multiplies both for a longer run by hand (`make fuzz FUZZ_SCALE=10`).
SCALE = max(1, int(os.environ.get("FUZZ_SCALE", "1")))
MAX_EXAMPLES = 6 * SCALE
STATEFUL_EXAMPLES = 6 * SCALE
STATEFUL_STEPS = 12
SEED = 20261206

# The coverage phase (schemathesis's deterministic boundary and negative cases, about 80 per
# operation, 8,600 as one role) is too long for every CI run: it runs with FUZZ_SCALE above 1
# (`make fuzz FUZZ_SCALE=2`), as the union admin, who passes the permission check of most
# operations and so reaches their input validation. Every run gives every role the examples and
# the random fuzzing phase, in both generation modes (valid and invalid input).
COVERAGE_ROLES = {"union_admin"} if SCALE > 1 else set()


def config(*, coverage: bool) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {
                "examples": {"enabled": not coverage},
                "fuzzing": {"enabled": not coverage},
                "coverage": {"enabled": coverage},
            },
        }
    )


CHECKS = [
    st_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.negative_data_rejection,
]


def one_error_format(ctx, response, case) -> bool | None:
    """Every 4xx or 5xx is JSON: `{"detail": "…"}`, or field errors keyed by field."""
    if response.status_code < 400:
        return None
    media_type = response.headers.get("content-type", [""])[0].split(";")[0].strip()
    assert media_type == "application/json", f"error answered as {media_type!r}"
    body = json.loads(response.content)
    assert isinstance(body, dict) and body, f"error body is not a non-empty object: {body!r}"
    if "detail" in body:
        assert isinstance(body["detail"], str), f"`detail` is not a string: {body!r}"
    return True


SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


class Tally:
    cases = 0


tally = Tally()


def run_case(case, headers: dict[str, str]) -> None:
    # Each case runs in a savepoint: one case's writes do not change what the next one meets.
    with transaction.atomic():
        try:
            case.call_and_validate(headers=headers, checks=CHECKS, additional_checks=[one_error_format])
        finally:
            transaction.set_rollback(True)
            tally.cases += 1


@pytest.fixture(scope="module")
def demo_tokens(django_db_setup, django_db_blocker):
    """The demo data and a token for each role, seeded once for the module in a transaction that
    is rolled back at its end (each test's own transaction nests in it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with open(os.devnull, "w") as devnull:
            call_command("seed_demo", stdout=devnull, stderr=devnull)
        yield {
            role: Token.objects.get_or_create(user=User.objects.get(username=username))[0].key
            for role, username in ROLES.items()
            if username
        }
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def app():
    # As Django's test client does: a request's end must not close the connection that holds the
    # test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def load_schema(app, *, coverage: bool):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, config=config(coverage=coverage))


def operation_tests(api_schema) -> list[tuple[str, Any]]:
    """Schemathesis's own Hypothesis test of each operation, as its pytest plugin builds them,
    built once and run as every role (building the strategies is most of the cost). The plugin's
    lazy loader itself is not used: it renames pytest nodes through an attribute pytest 9 no longer
    has."""
    tests = []
    for result in get_all_tests(schema=api_schema, test_func=run_case, settings=SETTINGS, given_kwargs=None):
        operation, test = result.ok()  # an operation the schema cannot describe fails here
        tests.append((operation.label, test))
    return tests


@pytest.fixture(scope="module")
def fuzz_schema(demo_tokens, app):
    return load_schema(app, coverage=False)


@pytest.fixture(scope="module")
def fuzz_tests(fuzz_schema):
    return operation_tests(fuzz_schema)


@pytest.fixture(scope="module")
def coverage_tests(demo_tokens, app):
    return operation_tests(load_schema(app, coverage=True))


@pytest.fixture
def fuzz_world(demo_tokens, db, monkeypatch):
    """No rate limits (a 429 would end the fuzz early) and no log line per refusal."""
    monkeypatch.setattr(throttling.SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    yield demo_tokens
    request_log.setLevel(level)


def headers_for(role: str, tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Token {tokens[role]}"} if ROLES[role] else {}


@pytest.mark.parametrize("role", list(ROLES))
def test_every_operation(role, fuzz_world, fuzz_tests, request):
    headers = headers_for(role, fuzz_world)
    tests = list(fuzz_tests)
    if role in COVERAGE_ROLES:
        tests += request.getfixturevalue("coverage_tests")
    failures: dict[str, str] = {}
    started, cases_before = time.monotonic(), tally.cases
    for label, test in tests:
        try:
            test(headers=headers)
        except (AssertionError, FailureGroup, Exception) as exc:  # every operation is tried
            failures.setdefault(label, str(exc)[:3000])
    print(
        f"fuzz as {role}: {len(fuzz_tests)} operations, {tally.cases - cases_before} cases, "
        f"{time.monotonic() - started:.1f}s"
    )
    assert len(fuzz_tests) >= 100
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


@pytest.fixture(scope="module")
def state_machine(fuzz_schema):
    return fuzz_schema.as_state_machine()


@pytest.mark.parametrize("role", list(ROLES))
def test_stateful_links(role, fuzz_world, state_machine):
    """Schemathesis's stateful phase: sequences of calls that feed one answer's ids into the next
    call (links inferred from the schema), each sequence in a transaction of its own."""
    headers = headers_for(role, fuzz_world)

    class Machine(state_machine):  # type: ignore[misc,valid-type]
        def setup(self) -> None:
            self._atomic = transaction.atomic()
            self._atomic.__enter__()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        def get_call_kwargs(self, case) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=(), **kwargs) -> None:
            tally.cases += 1
            case.validate_response(response, checks=CHECKS, additional_checks=[one_error_format])

    started, cases_before = time.monotonic(), tally.cases
    Machine.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    print(f"stateful as {role}: {tally.cases - cases_before} calls, {time.monotonic() - started:.1f}s")
