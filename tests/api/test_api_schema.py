"""The OpenAPI schema tells the truth: real responses, nulls and errors included, match it."""

from __future__ import annotations

import datetime

import pytest

from platform_core.notifications.services import notification_create
from platform_core.orgs.models import StudioMembership
from tests.conftest import as_user


@pytest.fixture
def schema(client, cast):
    client.force_login(cast.member)
    return client.get("/api/schema/?format=json").json()


def matches(value, schema: dict, components: dict) -> bool:
    """Whether a JSON value fits an OpenAPI 3.0 schema (the parts drf-spectacular emits)."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if "oneOf" in schema:
        return any(matches(value, option, components) for option in schema["oneOf"])
    if "allOf" in schema:
        return all(matches(value, part, components) for part in schema["allOf"])
    if value is None:
        return bool(schema.get("nullable")) or None in schema.get("enum", [])
    if "enum" in schema and value not in schema["enum"]:
        return False
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(value, dict) or any(name not in value for name in schema.get("required", [])):
            return False
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", {})
        return all(
            matches(item, properties.get(name, extra if isinstance(extra, dict) else {}), components)
            for name, item in value.items()
        )
    if kind == "array":
        return isinstance(value, list) and all(
            matches(item, schema.get("items", {}), components) for item in value
        )
    expected = {
        "string": str,
        "integer": int,
        "number": int | float,
        "boolean": bool,
    }.get(kind)
    if expected is None:
        return True  # no type: any value
    if kind in {"integer", "number"} and isinstance(value, bool):
        return False
    return isinstance(value, expected)


def check(schema: dict, template: str, response, method: str = "get") -> None:
    declared = schema["paths"][template][method]["responses"]
    assert str(response.status_code) in declared, (template, response.status_code, list(declared))
    content = declared[str(response.status_code)].get("content")
    if content is None:
        return
    body_schema = content["application/json"]["schema"]
    assert matches(response.json(), body_schema, schema["components"]["schemas"]), (template, response.json())


def test_every_read_matches_its_schema_nulls_included(schema, cast, api):
    # Nulls the schema once hid: a user, a member and a unit with no unit or group; an unread notification.
    StudioMembership.objects.create(
        studio=cast.studio1,
        user=cast.admin,
        role=StudioMembership.Role.MEMBER,
        joined_on=datetime.date(2024, 2, 1),
    )
    notification_create(recipient=cast.superadmin, kind="test", title=lambda: "t")
    client = as_user(api, cast.superadmin)
    studio = cast.studio1.pk
    reads = {
        "/api/v1/me/": "/api/v1/me/",
        "/api/v1/units/": "/api/v1/units/",
        "/api/v1/units/{id}/": f"/api/v1/units/{cast.group_g.pk}/",
        "/api/v1/studios/": "/api/v1/studios/",
        "/api/v1/studios/{id}/": f"/api/v1/studios/{studio}/",
        "/api/v1/studios/{id}/members/": f"/api/v1/studios/{studio}/members/",
        "/api/v1/notifications/": "/api/v1/notifications/",
        "/api/v1/realtime/events/": f"/api/v1/realtime/events/?topic={cast.studio1.topic}",
    }
    for template, url in reads.items():
        response = client.get(url)
        assert response.status_code == 200, url
        check(schema, template, response)
    assert client.get("/api/v1/me/").json()["unit"] is None
    assert client.get(f"/api/v1/units/{cast.group_g.pk}/").json()["group"] is None


def test_errors_are_documented_and_match_the_schema(schema, cast, api):
    check(schema, "/api/v1/studios/{id}/", api.get("/api/v1/studios/1/"))  # not logged in: 403
    client = as_user(api, cast.outsider)
    check(schema, "/api/v1/studios/{id}/", client.get("/api/v1/studios/999999/"))
    check(schema, "/api/v1/units/", client.get("/api/v1/units/?limit=abc"))
    check(schema, "/api/v1/realtime/events/", client.get("/api/v1/realtime/events/?topic=nonsense"))
    studio = f"/api/v1/studios/{cast.studio1.pk}/"
    check(schema, "/api/v1/studios/{id}/", client.patch(studio, {"description": "x"}, format="json"), "patch")
    leader = as_user(api, cast.leader1)
    bad = leader.patch(studio, data="[" * 100 + "]" * 100, content_type="application/json")
    check(schema, "/api/v1/studios/{id}/", bad, "patch")
    check(schema, "/api/v1/auth/token/", api.post("/api/v1/auth/token/", {"username": "x"}), "post")


def test_only_reads_are_open_to_anonymous_callers(schema):
    open_operations = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if {} in operation.get("security", [{}])
    }
    assert open_operations, "the challenge board is public"
    assert all(method == "get" for _path, method in open_operations)


def test_every_operation_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "429" in responses
            if "{" in path:
                assert "404" in responses, (path, method)
            if "requestBody" in operation:
                assert {"400", "413"} <= set(responses), (path, method)
            # Every operation that needs a login says so with a 403; the public ones (the token
            # endpoint, the challenge board) answer anonymous callers.
            if {} not in operation.get("security", [{}]):
                assert "403" in responses, (path, method)
