"""The showcase pages, thinly: each form reaches its service, and the pages answer as they should."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from showcase.models import Achievement, Round

from .conftest import make_achievement

pytestmark = pytest.mark.django_db


def test_a_leader_creates_a_draft_from_the_page(client, cast):
    client.force_login(cast.leader1)
    assert client.get(reverse("showcase:create")).status_code == 200
    response = client.post(
        reverse("showcase:create"),
        {
            "owner": f"studio:{cast.studio1.pk}",
            "title": "钢轨探伤小车",
            "summary": "轻便小车",
            "type": "technical",
            "work_fields": "探伤，铁路",
            "contributors": "王建国 70\n李娜 30",
            "patents": "ZL1, utility, filed",
        },
    )
    achievement = Achievement.objects.get(title="钢轨探伤小车")
    assert response.url == reverse("showcase:detail", args=[achievement.pk])
    assert achievement.state == "draft" and achievement.has_patent
    assert sorted(achievement.fields.values_list("name", flat=True)) == ["探伤", "铁路"]


def test_shares_that_do_not_add_up_are_refused_on_the_page(client, cast):
    client.force_login(cast.leader1)
    client.post(
        reverse("showcase:create"),
        {
            "owner": f"studio:{cast.studio1.pk}",
            "title": "x",
            "summary": "y",
            "type": "technical",
            "contributors": "甲 50",
        },
    )
    assert not Achievement.objects.exists()


def test_files_are_read_only_through_the_access_check(client, cast, draft):
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(picture, "PNG")
    client.force_login(cast.leader1)
    client.post(
        reverse("showcase:file_add", args=[draft.pk]),
        {
            "kind": "image",
            "file": SimpleUploadedFile("现场.png", picture.getvalue(), content_type="image/png"),
        },
    )
    stored = draft.files.get()
    url = reverse("showcase:file", args=[draft.pk, stored.pk])
    assert client.get(url).status_code == 200
    client.logout()
    # Anonymous: sent to log in (the file is not served); a logged-in outsider: no such file.
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404


def test_an_admin_runs_a_selection_round_from_the_pages(client, cast, published):
    today = datetime.date.today().isoformat()
    client.force_login(cast.admin)
    client.post(
        reverse("showcase:round_open"),
        {
            "kind": "selection",
            "title": "2026 年度优秀创新成果",
            "starts_on": today,
            "ends_on": today,
            "criteria": "创新性 60\n效益 40",
            "experts": "expert",
        },
    )
    round = Round.objects.get()
    client.post(reverse("showcase:round_action", args=[round.pk, "entry"]), {"achievement": published.pk})
    entry = round.entries.get()
    client.force_login(cast.expert)
    page = client.get(reverse("showcase:round", args=[round.pk])).content.decode()
    assert published.title in page
    criteria = list(round.criteria.all())
    client.post(
        reverse("showcase:round_action", args=[round.pk, "score"]),
        {"entry": entry.pk, **{f"score-{c.pk}": "90" for c in criteria}, "comment": "好"},
    )
    assert entry.scores.count() == 2
    client.force_login(cast.admin)
    client.post(reverse("showcase:round_action", args=[round.pk, "close"]))
    client.post(reverse("showcase:round_action", args=[round.pk, "publish"]), {f"result-{entry.pk}": "first"})
    round.refresh_from_db()
    assert round.status == Round.Status.PUBLISHED
    client.logout()
    assert (
        "badge-award award-first"
        in client.get(reverse("showcase:detail", args=[published.pk])).content.decode()
    )


def test_public_pages_answer_visitors(client, cast, published):
    for url in (
        reverse("showcase:list"),
        reverse("showcase:list") + "?search=<script>&type=technical&sort=benefit&page=9",
        reverse("showcase:detail", args=[published.pk]),
        reverse("showcase:figures"),
        reverse("showcase:rounds"),
        reverse("showcase:studio_record", args=[cast.studio1.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"<script>&" not in response.content


def test_search_results_highlight_the_match(client, cast):
    make_achievement(cast, title="变电站巡检无人机", summary="自主巡检")
    page = client.get(reverse("showcase:list"), {"search": "巡检"}).content.decode()
    assert "变电站<mark>巡检</mark>无人机" in page
