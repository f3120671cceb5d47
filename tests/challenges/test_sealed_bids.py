"""Sealed bids: leader1 (a competing studio's leader) tries every path to leader2's bid.

leader2's bid carries markers (a phrase in its approach, a budget, an attachment name) that must
not reach leader1 through a list, a filter, a search, a count, a notification, a live event, the
export, an error message, an attachment URL or the admin.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from challenges.models import Attachment
from challenges.services import attachments, reviews
from platform_core.audit.models import AuditEntry
from platform_core.notifications.models import Notification
from platform_core.realtime.models import Event
from tests.conftest import as_user

from .conftest import pass_deadline

SECRET_APPROACH = "独门秘方：液氮相变储能"
SECRET_BUDGET = Decimal("123456.78")
SECRET_FILE = "二号秘密方案.pdf"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def contest(world, api):
    challenge = world.published(show_bid_count=False)
    own = world.bid(challenge, "leader1")
    rival = world.bid(challenge, "leader2", approach=SECRET_APPROACH, budget=SECRET_BUDGET)
    attachment = attachments.attachment_add(
        actor=world.cast.leader2, bid=rival, upload=SimpleUploadedFile(SECRET_FILE, b"%PDF-1.4 secret")
    )
    return challenge, own, rival, attachment


def _leaks(text: str, world) -> list[str]:
    markers = [SECRET_APPROACH, str(SECRET_BUDGET), SECRET_FILE, world.cast.studio2.name]
    return [marker for marker in markers if marker in text]


def _get(api, user, url, **params):
    return as_user(api, user).get(url, params)


@pytest.mark.parametrize("closed", [False, True])
def test_the_competitor_lists_only_its_own_bid(world, api, contest, closed):
    challenge, own, _rival, _attachment = contest
    if closed:
        pass_deadline(challenge)
    response = _get(api, world.cast.leader1, f"/api/v1/challenges/{challenge.pk}/bids/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [own.pk]
    assert _leaks(response.content.decode(), world) == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/bids/{id}/"),
        ("patch", "/api/v1/bids/{id}/"),
        ("post", "/api/v1/bids/{id}/withdraw/"),
        ("post", "/api/v1/bids/{id}/shortlist/"),
        ("get", "/api/v1/bids/{id}/clarifications/"),
        ("post", "/api/v1/bids/{id}/clarifications/"),
        ("post", "/api/v1/bids/{id}/reports/"),
        ("post", "/api/v1/bids/{id}/attachments/"),
    ],
)
def test_the_competitor_gets_the_same_not_found_as_for_a_bid_that_does_not_exist(
    world, api, contest, method, path
):
    _challenge, _own, rival, _attachment = contest
    client = as_user(api, world.cast.leader1)
    rival_response = getattr(client, method)(path.format(id=rival.pk), {})
    missing_response = getattr(client, method)(path.format(id=rival.pk + 1000), {})
    assert rival_response.status_code == missing_response.status_code == 404
    assert rival_response.content == missing_response.content


def test_scoring_or_awarding_the_rival_bid_reveals_nothing(world, api, contest):
    challenge, _own, rival, _attachment = contest
    pass_deadline(challenge)
    client = as_user(api, world.cast.leader1)
    scores = {"bid_id": rival.pk, "scores": [{"criterion": challenge.criteria.first().pk, "value": 1}]}
    response = client.post(f"/api/v1/challenges/{challenge.pk}/scores/", scores, format="json")
    assert response.status_code == 404
    world.act(challenge, world.cast.poster, "start_review")
    for winners in ([rival.pk], [rival.pk + 1000]):
        response = client.post(
            f"/api/v1/challenges/{challenge.pk}/award/", {"winners": winners, "rationale": "x"}, format="json"
        )
        assert response.status_code == 403
        assert _leaks(response.content.decode(), world) == []


def test_board_search_filter_and_counts_do_not_reveal_the_rival(world, api, contest):
    challenge, _own, _rival, _attachment = contest
    client = as_user(api, world.cast.leader1)
    for params in ({"q": "液氮"}, {"q": world.cast.studio2.name}, {"q": "123456"}):
        response = client.get("/api/v1/challenges/", params)
        assert response.status_code == 200
        assert response.json()["count"] == 0, params
    board = client.get("/api/v1/challenges/").json()["results"]
    assert [row["bid_count"] for row in board] == [None]
    detail = client.get(f"/api/v1/challenges/{challenge.pk}/").json()
    assert detail["bid_count"] is None
    assert _leaks(json.dumps(detail, ensure_ascii=False), world) == []


def test_the_poster_sees_only_the_count_until_the_deadline(world, api, contest):
    challenge, _own, rival, _attachment = contest
    client = as_user(api, world.cast.poster)
    assert client.get(f"/api/v1/challenges/{challenge.pk}/").json()["bid_count"] == 2
    assert client.get(f"/api/v1/challenges/{challenge.pk}/bids/").json() == []
    assert client.get(f"/api/v1/bids/{rival.pk}/").status_code == 404
    assert client.get(f"/api/v1/challenges/{challenge.pk}/export.xlsx").status_code == 404
    pass_deadline(challenge)
    assert len(client.get(f"/api/v1/challenges/{challenge.pk}/bids/").json()) == 2
    assert client.get(f"/api/v1/bids/{rival.pk}/").json()["approach"] == SECRET_APPROACH


def test_assigned_experts_open_bids_after_the_deadline_unless_recused(world, api, contest):
    challenge, _own, _rival, _attachment = contest
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.expert2)
    reviews.expert_assign(actor=world.cast.poster, challenge=challenge, expert=world.cast.expert)
    client = as_user(api, world.expert2)
    assert client.get(f"/api/v1/challenges/{challenge.pk}/bids/").json() == []
    # The recusal notice would name a bidder: nothing is said before the deadline.
    assert not world.cast.expert.notifications.filter(kind="review.recused").exists()
    pass_deadline(challenge)
    world.act(challenge, world.cast.poster, "start_review")
    assert len(client.get(f"/api/v1/challenges/{challenge.pk}/bids/").json()) == 2
    # `expert` works in unit B, like studio2: recused automatically, told why, sees nothing.
    recused = as_user(api, world.cast.expert)
    assert recused.get(f"/api/v1/challenges/{challenge.pk}/bids/").json() == []
    notice = world.cast.expert.notifications.get(kind="review.recused")
    # The reasons name a bidder; the notice does not (the assignment row keeps them).
    assert world.cast.studio2.name not in notice.body


def test_notifications_and_live_events_carry_no_bid_content(world, contest):
    challenge, _own, _rival, _attachment = contest
    pass_deadline(challenge)
    texts = [
        f"{title} {body}"
        for title, body in Notification.objects.exclude(recipient=world.cast.leader2).values_list(
            "title", "body"
        )
    ]
    assert texts and _leaks(" ".join(texts), world) == []
    # leader2's own user topic may name its own studio (its notifications, its own bid).
    others = Event.objects.exclude(topic__name=f"user:{world.cast.leader2.pk}")
    payloads = json.dumps(list(others.values_list("data", flat=True)), ensure_ascii=False)
    assert _leaks(payloads, world) == []
    assert not Event.objects.filter(name="challenge.bid_count").exists()  # the count is not shown
    # The studio's own record (its naming) names it, of course; nothing about the challenge may.
    audit = " ".join(
        AuditEntry.objects.exclude(action__startswith="studio.").values_list("target_repr", flat=True)
    )
    assert _leaks(audit, world) == []


def test_the_bid_count_event_is_emitted_only_where_the_count_is_shown(world):
    challenge = world.published(show_bid_count=True)
    world.bid(challenge, "leader2", approach=SECRET_APPROACH)
    events = list(Event.objects.filter(topic__name=challenge.topic).values_list("name", "data"))
    assert ("challenge.bid_count", {"id": challenge.pk, "count": 1}) in events


def test_the_export_is_for_the_poster_after_the_deadline(world, api, contest):
    challenge, _own, _rival, _attachment = contest
    url = f"/api/v1/challenges/{challenge.pk}/export.xlsx"
    pass_deadline(challenge)
    assert as_user(api, world.cast.leader1).get(url).status_code == 404
    response = as_user(api, world.cast.poster).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_attachments_are_private_and_downloaded_only_with_access(world, api, contest, settings):
    challenge, _own, _rival, attachment = contest
    url = reverse("api-challenge-attachment", args=[attachment.pk])
    missing = reverse("api-challenge-attachment", args=[attachment.pk + 1000])
    competitor = as_user(api, world.cast.leader1)
    assert competitor.get(url).status_code == 404
    assert competitor.get(url).content == competitor.get(missing).content
    # Nothing under MEDIA_ROOT, no public URL: neither /media/ nor the proxy can serve it.
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018
    assert not attachment.file.path.startswith(settings.MEDIA_ROOT)
    assert SECRET_FILE not in attachment.file.name
    assert as_user(api, world.cast.poster).get(url).status_code == 404  # sealed until the deadline
    pass_deadline(challenge)
    response = as_user(api, world.cast.poster).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"
    assert as_user(api, world.cast.leader1).get(url).status_code == 404


def test_the_admin_shows_bids_to_superusers_only(world, client, contest):
    _challenge, _own, rival, _attachment = contest
    staff = world.cast.admin
    staff.is_staff = True
    staff.save()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="challenges"))
    client.force_login(staff)
    for model in ("bid", "bidmilestone", "score", "clarification", "attachment", "expertassignment"):
        assert client.get(reverse(f"admin:challenges_{model}_changelist")).status_code == 403, model
    assert client.get(reverse("admin:challenges_bid_change", args=[rival.pk])).status_code in (302, 403)
    staff.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    audit = client.get(reverse("admin:audit_auditentry_changelist"), {"q": "bid"}).content.decode()
    assert "bid.submitted" not in audit
    client.force_login(world.cast.superadmin)
    assert client.get(reverse("admin:challenges_bid_change", args=[rival.pk])).status_code == 200
    audit = client.get(reverse("admin:audit_auditentry_changelist"), {"q": "bid"}).content.decode()
    assert "bid.submitted" in audit


def test_bids_stringify_without_the_bidder(contest):
    _challenge, _own, rival, attachment = contest
    assert str(rival) == f"#{rival.pk}"
    assert str(attachment) == f"#{attachment.pk}"
    assert Attachment.objects.get(pk=attachment.pk).name == SECRET_FILE


def test_studio_members_see_their_studios_bid_but_only_the_leader_changes_it(world, api, contest):
    challenge, own, rival, _attachment = contest
    member = as_user(api, world.cast.member)
    assert [row["id"] for row in member.get(f"/api/v1/challenges/{challenge.pk}/bids/").json()] == [own.pk]
    assert member.get(f"/api/v1/bids/{rival.pk}/").status_code == 404
    response = member.patch(f"/api/v1/bids/{own.pk}/", {"approach": "改"}, format="json")
    assert response.status_code == 403


def test_a_team_bid_is_sealed_from_studio_leaders_and_seen_by_the_team(world, api, contest):
    challenge, _own, _rival, _attachment = contest
    team_bid = world.bid(challenge, "team")
    assert as_user(api, world.cast.leader1).get(f"/api/v1/bids/{team_bid.pk}/").status_code == 404
    assert (
        as_user(api, world.teamlead).get(f"/api/v1/bids/{team_bid.pk}/").json()["bidder"] == world.team.name
    )


def test_attachments_refuse_unknown_kinds_and_late_uploads(world, api, contest):
    challenge, own, _rival, _attachment = contest
    client = as_user(api, world.cast.leader1)
    url = f"/api/v1/bids/{own.pk}/attachments/"
    script = SimpleUploadedFile("run.exe", b"MZ")
    assert client.post(url, {"file": script}, format="multipart").status_code == 400
    pass_deadline(challenge)
    late = SimpleUploadedFile("补充.pdf", b"%PDF")
    assert client.post(url, {"file": late}, format="multipart").status_code == 403
