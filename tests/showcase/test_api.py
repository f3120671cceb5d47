"""The showcase API: the same services and permissions as the pages, end to end."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from .conftest import achievement_data

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(**overrides) -> dict:
    data = achievement_data(**overrides)
    data["economic_benefit"] = "1200000.00"
    return data


def test_create_submit_publish_list_and_search(cast):
    leader = client_for(cast.leader1)
    created = leader.post("/api/v1/achievements/", {**body(), "studio_id": cast.studio1.pk}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert APIClient().get("/api/v1/achievements/", {"search": "带电"}).json()["count"] == 0
    assert leader.post(f"/api/v1/achievements/{pk}/actions/submit/", {}, format="json").status_code == 200
    # leader1 is not a union admin: publishing is refused.
    assert leader.post(f"/api/v1/achievements/{pk}/actions/publish/", {}, format="json").status_code == 403
    admin = client_for(cast.admin)
    assert admin.post(f"/api/v1/achievements/{pk}/actions/publish/", {}, format="json").status_code == 200
    found = APIClient().get(
        "/api/v1/achievements/", {"search": "带电", "type": "technical", "has_patent": "1"}
    )
    assert [row["id"] for row in found.json()["results"]] == [pk]
    facets = APIClient().get("/api/v1/achievements/facets/", {"search": "带电"}).json()
    types = {item["value"]: item["count"] for item in facets[0]["values"]}
    assert types == {"technical": 1}


def test_contributor_shares_must_add_up_to_100(cast):
    response = client_for(cast.leader1).post(
        "/api/v1/achievements/",
        {
            **body(contributors=[{"name": "甲", "share": 60}, {"name": "乙", "share": 30}]),
            "studio_id": cast.studio1.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "100" in response.content.decode()


def test_only_the_studio_leader_creates_for_it(cast):
    response = client_for(cast.member).post(
        "/api/v1/achievements/", {**body(), "studio_id": cast.studio1.pk}, format="json"
    )
    assert response.status_code == 403


def test_listing_inquiry_status_and_case(cast, published):
    listing = client_for(cast.leader1).put(
        f"/api/v1/achievements/{published.pk}/listing/",
        {"maturity": 8, "modes": ["licence", "sale"], "price": None, "contact_name": "王建国"},
        format="json",
    )
    assert listing.status_code == 200 and listing.json()["negotiable"] is True
    poster = client_for(cast.poster)
    sent = poster.post(
        f"/api/v1/achievements/{published.pk}/inquiries/", {"mode": "sale", "message": "求购"}, format="json"
    )
    assert sent.status_code == 201
    inquiry = sent.json()["id"]
    owner = client_for(cast.leader1)
    for status in ("discussing", "agreed"):
        assert (
            owner.post(f"/api/v1/inquiries/{inquiry}/status/", {"status": status}, format="json").status_code
            == 200
        )
    case = poster.post(
        f"/api/v1/inquiries/{inquiry}/case/",
        {"value": "300000", "concluded_on": datetime.date.today().isoformat()},
        format="json",
    )
    assert case.status_code == 201 and case.json()["case"]["value"] == "300000.00"
    assert client_for(cast.outsider).get(f"/api/v1/inquiries/{inquiry}/").status_code == 404


def test_a_round_through_the_api(cast, published):
    admin = client_for(cast.admin)
    today = datetime.date.today().isoformat()
    opened = admin.post(
        "/api/v1/rounds/",
        {
            "kind": "appraisal",
            "title": "成果鉴定",
            "starts_on": today,
            "ends_on": today,
            "criteria": [{"name": "先进性", "weight": 100}],
            "expert_ids": [],
        },
        format="json",
    )
    assert opened.status_code == 201, opened.content
    pk = opened.json()["id"]
    criterion = opened.json()["criteria"][0]["id"]
    assert (
        admin.post(f"/api/v1/rounds/{pk}/experts/", {"id": cast.expert.pk}, format="json").status_code == 200
    )
    entered = admin.post(f"/api/v1/rounds/{pk}/entries/", {"id": published.pk}, format="json")
    entry = entered.json()["ranking"][0]["entry_id"]
    scored = client_for(cast.expert).post(
        f"/api/v1/rounds/{pk}/scores/",
        {"entry_id": entry, "scores": [{"criterion": criterion, "value": 75}]},
        format="json",
    )
    assert scored.status_code == 200
    # The panel does not see the ranking; anonymous visitors do not see a running round at all.
    assert scored.json()["ranking"] == []
    assert APIClient().get(f"/api/v1/rounds/{pk}/").status_code == 404
    assert admin.post(f"/api/v1/rounds/{pk}/close/", {}, format="json").status_code == 200
    published_round = admin.post(
        f"/api/v1/rounds/{pk}/publish/", {"results": {str(entry): "appraised"}}, format="json"
    )
    assert published_round.json()["ranking"][0]["result"] == "appraised"
    assert APIClient().get(f"/api/v1/rounds/{pk}/").json()["ranking"][0]["total"] == "75.00"
