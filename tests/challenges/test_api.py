"""The API, thinly: one challenge from draft to accepted over HTTP, errors as 4xx, the schema."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import as_user

from .conftest import pass_deadline


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def _draft_payload(cast) -> dict:
    return {
        "unit_id": cast.unit_a.pk,
        "title": "配电房巡检机器人",
        "statement": "人工巡检效率低",
        "fields": ["机器人"],
        "reward_amount": "100000.00",
        "bidding_deadline": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
        "expected_delivery": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        "contact_name": "周海燕",
        "criteria": [{"name": "技术", "weight": 70}, {"name": "成本", "weight": 30}],
    }


def _bid_payload(signer: str) -> dict:
    due = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    return {
        "approach": "轨道式机器人",
        "budget": "80000",
        "commitment_text": "按期交付",
        "signer_name": signer,
        "team_composition": [{"name": signer, "role": "负责人"}],
        "milestones": [{"title": "样机", "due_date": due, "reward_share": "40000"}],
    }


def test_a_challenge_from_draft_to_accepted_over_the_api(world, api):
    cast = world.cast
    poster = as_user(api, cast.poster)
    response = poster.post("/api/v1/challenges/", _draft_payload(cast), format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["allowed_actions"] == ["submit", "withdraw"]
    assert poster.post(f"/api/v1/challenges/{pk}/actions/submit/", {}).status_code == 200
    assert (
        as_user(api, cast.outsider).post(f"/api/v1/challenges/{pk}/actions/approve/", {}).status_code == 404
    )
    assert as_user(api, cast.poster).post(f"/api/v1/challenges/{pk}/actions/approve/", {}).status_code == 403
    assert (
        as_user(api, cast.admin).post(f"/api/v1/challenges/{pk}/actions/approve/", {}).json()["state"]
        == "published"
    )
    for leader, studio in ((cast.leader1, cast.studio1), (cast.leader2, cast.studio2)):
        payload = {**_bid_payload(str(leader)), "studio_id": studio.pk}
        response = as_user(api, leader).post(f"/api/v1/challenges/{pk}/bids/", payload, format="json")
        assert response.status_code == 201, response.json()
    bid_id = response.json()["id"]
    options = as_user(api, cast.leader1).get(f"/api/v1/challenges/{pk}/").json()["bid_options"]
    assert options == [
        {"studio_id": cast.studio1.pk, "team_id": None, "name": cast.studio1.name, "problem": ""}
    ]
    upload = as_user(api, cast.leader2).post(
        f"/api/v1/bids/{bid_id}/attachments/",
        {"file": SimpleUploadedFile("方案.pdf", b"%PDF")},
        format="multipart",
    )
    assert upload.status_code == 201 and upload.json()["url"].startswith("/api/v1/challenge-attachments/")
    poster = as_user(api, cast.poster)
    assert (
        poster.post(f"/api/v1/challenges/{pk}/experts/", {"expert_id": world.expert2.pk}).status_code == 201
    )
    from challenges.models import Challenge

    pass_deadline(Challenge.objects.get(pk=pk))
    assert poster.post(f"/api/v1/challenges/{pk}/actions/start_review/", {}).json()["state"] == "under_review"
    criteria = poster.get(f"/api/v1/challenges/{pk}/").json()["criteria"]
    expert = as_user(api, world.expert2)
    response = expert.post(
        f"/api/v1/challenges/{pk}/scores/",
        {"bid_id": bid_id, "scores": [{"criterion": c["id"], "value": "88"} for c in criteria]},
        format="json",
    )
    assert response.status_code == 204
    review = as_user(api, cast.poster).get(f"/api/v1/challenges/{pk}/review/").json()
    assert review["ranking"][0]["bid_id"] == bid_id and review["ranking"][0]["total"] == "88.00"
    response = poster.post(
        f"/api/v1/challenges/{pk}/award/", {"winners": [bid_id], "rationale": "成本低"}, format="json"
    )
    assert response.json()["state"] == "awarded"
    assert poster.post(f"/api/v1/challenges/{pk}/actions/start_work/", {}).json()["state"] == "in_progress"
    milestone = poster.get(f"/api/v1/challenges/{pk}/milestones/").json()[0]
    leader2 = as_user(api, cast.leader2)
    assert (
        leader2.post(f"/api/v1/milestones/{milestone['id']}/submit/", {"evidence_note": "样机照片"}).json()[
            "status"
        ]
        == "submitted"
    )
    poster = as_user(api, cast.poster)
    reviewed = poster.post(f"/api/v1/milestones/{milestone['id']}/review/", {"accept": True}, format="json")
    assert reviewed.json()["status"] == "accepted"
    public = as_user(api, cast.outsider).get(f"/api/v1/challenges/{pk}/milestones/").json()[0]
    assert "evidence_note" not in public
    assert as_user(api, cast.leader2).post(f"/api/v1/challenges/{pk}/actions/deliver/", {}).status_code == 200
    accepted = as_user(api, cast.poster).post(f"/api/v1/challenges/{pk}/actions/accept/", {"text": "通过"})
    assert accepted.json()["state"] == "accepted"


def test_bad_input_is_a_clear_400(world, api):
    poster = as_user(api, world.cast.poster)
    payload = _draft_payload(world.cast)
    payload["criteria"] = [{"name": "技术", "weight": 70}]
    response = poster.post("/api/v1/challenges/", payload, format="json")
    assert response.status_code == 400 and "criteria" in response.json()
    challenge = world.published()
    response = poster.post(f"/api/v1/challenges/{challenge.pk}/actions/explode/", {})
    assert response.status_code == 400
    response = as_user(api, world.cast.leader1).post(
        f"/api/v1/challenges/{challenge.pk}/bids/", {"approach": "x"}, format="json"
    )
    assert response.status_code == 400


def test_problems_over_the_api(world, api):
    member = as_user(api, world.cast.member)
    response = member.post(
        "/api/v1/problems/", {"unit_id": world.cast.unit_a.pk, "title": "漏水", "description": "机房漏水"}
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert (
        as_user(api, world.cast.outsider).post(f"/api/v1/problems/{pk}/reject/", {"reason": "x"}).status_code
        == 404
    )
    assert (
        as_user(api, world.cast.poster)
        .post(f"/api/v1/problems/{pk}/reject/", {"reason": "已修"})
        .json()["status"]
        == "rejected"
    )


def test_the_schema_lists_the_challenge_endpoints(client, cast):
    client.force_login(cast.poster)
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/challenges/",
        "/api/v1/challenges/{id}/bids/",
        "/api/v1/challenge-attachments/{id}/",
    ):
        assert path in schema, path
