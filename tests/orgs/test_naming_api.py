"""The naming API: the same selectors as the pages, so scores stay sealed and the notice public."""

from __future__ import annotations

import pytest
from django.urls import reverse

from platform_core.orgs.models import NamingRound, Nomination
from platform_core.orgs.naming import services
from tests.conftest import as_user
from tests.orgs.naming import WEIGHTS, nominate_and_submit, open_round, schedule, score_all

pytestmark = pytest.mark.django_db


def test_an_admin_opens_a_round_through_the_api_at_their_level_only(cast, api):
    body = {"level": "group", "title": "集团级命名", "year": 2026, "weights": WEIGHTS}
    body.update({key: value.isoformat() for key, value in schedule().items()})
    response = as_user(api, cast.admin).post(reverse("api-naming-rounds"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["round"]["level"] == "group"
    refused = api.post(reverse("api-naming-rounds"), {**body, "level": "national"}, format="json")
    assert refused.status_code == 400 and "level" in str(refused.json())
    assert (
        as_user(api, cast.leader1).post(reverse("api-naming-rounds"), body, format="json").status_code == 403
    )
    assert NamingRound.objects.count() == 1


def test_the_api_never_shows_one_experts_scores_to_the_studio(cast, api):
    round = open_round(cast)
    nomination = nominate_and_submit(cast, round)
    services.scoring_start(actor=cast.superadmin, round=round)
    url = reverse("api-naming-scores", args=[nomination.pk])
    scores = {"political": 81, "breakthrough": 82, "achievements": 83, "talent": 84, "support": 85}
    assert as_user(api, cast.recused).put(url, {"scores": scores}, format="json").status_code == 404
    saved = as_user(api, cast.panelist).put(url, {"scores": scores}, format="json")
    assert saved.status_code == 200 and saved.json()["assessment"][0]["my_score"] == "81.00"
    score_all(cast.expert, nomination, 50)
    detail = reverse("api-naming-nomination", args=[nomination.pk])
    for user in (cast.expert, cast.leader1, cast.member, cast.superadmin):
        body = as_user(api, user).get(detail).json()
        assert body["expert_scores"] is None and body["total"] is None
        assert all(row["my_score"] in (None, "50.00") for row in body["assessment"])
    services.scoring_close(actor=cast.superadmin, round=round)
    leader = as_user(api, cast.leader1).get(detail).json()
    assert leader["expert_scores"] is None and "81.00" not in str(leader)
    admin = as_user(api, cast.superadmin).get(detail).json()
    assert len(admin["expert_scores"]) == 2 and admin["total"] is not None
    ranking = (
        as_user(api, cast.superadmin).get(reverse("api-naming-round", args=[round.pk])).json()["ranking"]
    )
    assert [row["id"] for row in ranking] == [nomination.pk]
    assert (
        as_user(api, cast.leader1).get(reverse("api-naming-round", args=[round.pk])).json()["ranking"] is None
    )


def test_objections_and_the_studios_history_through_the_api(cast, api):
    round = open_round(cast)
    nomination = nominate_and_submit(cast, round)
    services.scoring_start(actor=cast.superadmin, round=round)
    score_all(cast.panelist, nomination, 80)
    services.scoring_close(actor=cast.superadmin, round=round)
    services.results_publish(actor=cast.superadmin, round=round, named=[nomination.pk])
    url = reverse("api-naming-objections", args=[nomination.pk])
    lodged = as_user(api, cast.outsider).post(url, {"reason": "有异议"}, format="json")
    assert lodged.status_code == 201 and lodged.json()["status"] == "open"
    outsider_view = (
        as_user(api, cast.outsider).get(reverse("api-naming-nomination", args=[nomination.pk])).json()
    )
    assert outsider_view["assessment"] == [] and outsider_view["total"] == "80.00"
    history = as_user(api, cast.outsider).get(reverse("api-studio-titles", args=[cast.studio1.pk])).json()
    assert [row["status"] for row in history["assessments"]] == [Nomination.Status.NAMED]
    api.force_authenticate(None)
    assert api.get(reverse("api-naming-round", args=[round.pk])).status_code in (401, 403)
