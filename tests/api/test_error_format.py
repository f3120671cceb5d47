"""Every error under /api/ is JSON in the one documented format, whoever answers it: DRF, Django's
URL resolver and middleware, the body limit, or daphne itself; and the schema documents them."""

from __future__ import annotations

import json
import socket

import pytest
from channels.testing import HttpCommunicator
from django.conf import settings
from django.core.management import call_command

from platform_core.asgi import application
from tests.api.test_api_schema import check, schema  # noqa: F401 - the fixture
from tests.conftest import as_user
from tests.servers import daphne


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"], body
    return body


@pytest.mark.parametrize(
    "path", ["/api/v1/nope/", "/api/nope/", "/api/v1/challenges/abc/", "/api/v1/studios/1x/"]
)
def test_an_unknown_path_or_an_id_the_url_refuses_is_a_json_404(cast, api, path):
    assert_json_error(api.get(path), 404)
    assert_json_error(as_user(api, cast.member).get(path), 404)


def test_pages_outside_the_api_keep_their_html_404(cast, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_nul_in_the_query_is_a_json_400_saying_so(cast, api):
    body = assert_json_error(as_user(api, cast.member).get("/api/v1/challenges/?q=a%00b"), 400)
    assert "NUL" in body["detail"]


@pytest.mark.parametrize(
    ("method", "path"), [("put", "/api/docs/"), ("post", "/api/schema/"), ("delete", "/api/v1/challenges/")]
)
def test_a_method_not_allowed_is_a_json_405_naming_the_allowed_ones(cast, api, method, path):
    response = getattr(as_user(api, cast.member), method)(path)
    body = assert_json_error(response, 405)
    assert method.upper() in body["detail"]
    assert response["Allow"]


def test_a_server_error_under_the_api_is_json(cast, api, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("challenges.api.board.selectors.board", broken)
    assert_json_error(api.get("/api/v1/challenges/"), 500)


@pytest.mark.django_db(transaction=True)
async def test_a_body_over_the_limit_is_a_json_413_on_the_api(tcast):
    headers = [(b"content-type", b"application/json"), (b"host", b"testserver")]
    headers.append((b"content-length", str(settings.MAX_REQUEST_BODY_BYTES + 1).encode()))
    communicator = HttpCommunicator(application, "POST", "/api/v1/auth/token/", body=b"{}", headers=headers)
    response = await communicator.get_response(timeout=10)
    assert response["status"] == 413
    assert dict(response["headers"])[b"content-type"] == b"application/json"
    assert json.loads(response["body"])["detail"]


def raw_request(base: str, head: str, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head.encode("latin1") + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head_part, _, content = answer.partition(b"\r\n\r\n")
    lines = head_part.decode("latin1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split(" ", 2)[1]), {k.lower(): v for k, v in headers.items()}, content


@pytest.fixture
def server(tcast):
    with daphne() as base:
        yield base


def test_an_empty_or_unreadable_multipart_body_is_answered_by_the_api_in_json(server):
    # Twisted used to parse the body itself and answer what it could not parse with a bare 400.
    for body in (b"\r\n", b"--b--\r\n", b"garbage"):
        head = (
            "POST /api/v1/auth/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        status, headers, content = raw_request(server, head, body)
        assert status == 400, (body, content)
        assert headers["content-type"].startswith("application/json"), (body, headers)
        assert json.loads(content), body


def test_every_operation_documents_a_400_and_each_named_object_a_404(schema):  # noqa: F811
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "400" in responses, (path, method)
            if "{" in path or "requestBody" in operation:
                assert "404" in responses, (path, method)


def test_errors_of_list_items_match_the_schema(schema, cast, api):  # noqa: F811
    client = as_user(api, cast.poster)
    response = client.post(
        "/api/v1/problems/draft-challenge/", {"problem_ids": ["x", 1], "title": "t"}, format="json"
    )
    assert response.status_code == 400
    assert "0" in response.json()["problem_ids"], response.json()
    check(schema, "/api/v1/problems/draft-challenge/", response, "post")
    bad_id = client.post("/api/v1/problems/draft-challenge/", {"problem_ids": [999999]}, format="json")
    check(schema, "/api/v1/problems/draft-challenge/", bad_id, "post")


def test_the_schema_validates_without_a_warning(tmp_path):
    # `--validate` checks it against the OpenAPI specification, `--fail-on-warn` turns any
    # drf-spectacular warning (an undocumented field, a clashing name) into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "FieldErrors" in (tmp_path / "schema.yaml").read_text()


def test_a_refusal_of_the_whole_request_is_one_detail_string(cast, api):
    """A service's ValidationError without a field (here: an achievement needs a studio or a team)
    is `{"detail": "…"}` with a string, as the schema's Error says, not a list of messages."""
    as_user(api, cast.leader1)
    response = api.post(
        "/api/v1/achievements/",
        {"title": "成果", "summary": "摘要", "type": "institutional", "contributors": []},
        format="json",
    )
    body = assert_json_error(response, 400)
    assert list(body) == ["detail"]


def test_drf_refusals_given_as_messages_become_one_detail_string():
    from platform_core.api import one_error_format

    assert one_error_format(["a.", "b."]) == {"detail": "a. b."}
    assert one_error_format({"detail": ["a."]}) == {"detail": "a."}
    fields = {"title": ["required"], "items": [{}, {"name": ["bad"]}]}
    assert one_error_format(fields) == fields
