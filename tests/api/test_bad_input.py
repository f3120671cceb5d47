"""Whatever a client sends, the API answers with a 4xx in its JSON error format, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.conftest import as_user

TOKEN_URL = "/api/v1/auth/token/"
LIST_URLS = [
    "/api/v1/studios/",
    "/api/v1/units/",
    "/api/v1/notifications/",
    "/api/v1/studios/{studio}/members/",
]


def deeply_nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "body",
    [
        '{"username": "\\ud800", "password": "x"}',
        '{"username": "member", "password": "\\udfff"}',
        '{"\\ud800": 1}',
        "[null, null]",
        "[]",
        "5",
        '"member"',
        "null",
        "true",
        '{"username": {"a": [1, {"b": null}]}, "password": "x"}',
        '{"username": ["member"], "password": ["pw-for-tests"]}',
        '{"username": null, "password": null}',
        deeply_nested(100_000),
        '{"username": ' + deeply_nested(40) + ', "password": "x"}',
        "{not json",
    ],
)
def test_the_token_endpoint_answers_any_body_with_a_400(cast, api, body):
    response = api.post(TOKEN_URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert isinstance(response.json(), dict)


def test_a_json_number_is_a_username_for_the_token_endpoint_and_its_brake(cast, api, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        response = api.post(TOKEN_URL, data={"username": 12, "password": "x"}, format="json")
        assert response.status_code == 400
    response = api.post(TOKEN_URL, data={"username": "12", "password": "x"}, format="json")
    assert response.status_code == 429


@pytest.mark.parametrize(
    "description",
    [json.loads('"\\ud800"'), "x"],
    ids=["lone-surrogate", "plain"],
)
def test_a_lone_surrogate_anywhere_in_a_json_body_is_a_400(cast, api, description):
    url = f"/api/v1/studios/{cast.studio1.pk}/"
    body = json.dumps({"description": description})  # json.dumps escapes the surrogate as \ud800
    response = as_user(api, cast.leader1).patch(url, data=body, content_type="application/json")
    assert response.status_code == (400 if description != "x" else 200)


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deeply_nested_json_is_a_400_on_every_endpoint(cast, api, depth):
    client = as_user(api, cast.leader1)
    studio = f"/api/v1/studios/{cast.studio1.pk}/"
    for method, url in [
        ("patch", studio),
        ("post", f"{studio}members/"),
        ("post", TOKEN_URL),
    ]:
        body = '{"description": ' + deeply_nested(depth) + "}"
        response = getattr(client, method)(url, data=body, content_type="application/json")
        assert response.status_code == 400, (url, response.status_code)
        assert "nested" in response.json()["detail"]


def test_json_nested_within_the_bound_reaches_the_serializer(cast, api):
    body = '{"description": ' + deeply_nested(30) + "}"
    url = f"/api/v1/studios/{cast.studio1.pk}/"
    response = as_user(api, cast.leader1).patch(url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "description" in response.json()


# --- paging ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize(
    "query",
    [
        "limit=9223372036854775808",
        "limit=9223372036854775807",
        "limit=201",
        "limit=0",
        "limit=-1",
        "limit=abc",
        "limit=",
        "limit=1.5",
        "limit=%EF%BC%91",  # a full-width digit one: int() would take it
        "offset=-1",
        "offset=9223372036854775808",
        "offset=x",
    ],
)
def test_out_of_range_or_non_numeric_paging_is_a_400_naming_the_parameter(cast, api, url, query):
    url = url.format(studio=cast.studio1.pk)
    response = as_user(api, cast.admin).get(f"{url}?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_list_pages_up_to_the_maximum(cast, api, settings, url):
    settings.API_MAX_PAGE_SIZE = 2
    url = url.format(studio=cast.studio1.pk)
    client = as_user(api, cast.admin)
    assert client.get(f"{url}?limit=3").status_code == 400
    response = client.get(f"{url}?limit=2&offset=0")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 2


def test_without_a_limit_a_list_has_the_default_page_size(cast, api, settings):
    response = as_user(api, cast.admin).get("/api/v1/units/?offset=1")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 4  # five units in the cast, from the second on


# --- limits of Django's request parsing, in the API's JSON error format ---------------------------


def test_too_many_form_fields_is_a_json_400(cast, api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{n}=1" for n in range(11))
    response = api.post(
        TOKEN_URL, data=body, content_type="application/x-www-form-urlencoded", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == "The request has too many fields or files."


def test_too_many_multipart_fields_is_a_json_400(cast, api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = api.post(TOKEN_URL, data={f"f{n}": "1" for n in range(11)}, format="multipart")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_oversize_form_data_is_a_json_413(cast, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post(TOKEN_URL, data={"username": "x" * 2000, "password": "x"}, format="multipart")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
