"""Chat services: idempotent sends, mentions, sanitised bodies, history pages, unread counts,
search, presence expiry, attachments."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alliances import selectors
from alliances.markdown import render_markdown
from alliances.models import Message
from alliances.services import presence, rooms
from platform_core.notifications.models import Notification
from tests.conftest import as_user

pytestmark = pytest.mark.django_db


def send(user, room, client_id, body="消息"):
    return rooms.message_send(actor=user, room_id=room.pk, client_id=client_id, body=body)[0]


def test_the_same_client_id_twice_creates_one_message(cast, world):
    first, created = rooms.message_send(actor=cast.member, room_id=world.room.pk, client_id="c", body="一")
    again, created_again = rooms.message_send(
        actor=cast.member, room_id=world.room.pk, client_id="c", body="一"
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and Message.objects.count() == 1
    world.room.refresh_from_db()
    assert world.room.last_seq == 1


def test_a_client_id_is_per_sender(cast, world):
    send(cast.member, world.room, "same")
    send(cast.leader2, world.room, "same")
    assert Message.objects.count() == 2


@pytest.mark.parametrize("role", ["superadmin", "admin", "poster", "leader1", "expert", "outsider"])
def test_only_room_members_send(cast, world, role):
    with pytest.raises(PermissionDenied):
        send(getattr(cast, role), world.room, "x")


def test_a_mention_notifies_the_mentioned_member_only_if_in_the_room(cast, world):
    send(cast.member, world.room, "m", "@leader2 请看一下，@outsider 不在")
    assert Notification.objects.filter(recipient=cast.leader2, kind="chat.mentioned").count() == 1
    assert not Notification.objects.filter(recipient=cast.outsider, kind="chat.mentioned").exists()
    assert list(Message.objects.get().mentions.all()) == [cast.leader2]


def test_a_reply_names_a_message_of_the_same_room(cast, world):
    first = send(cast.member, world.room, "a")
    reply, _created = rooms.message_send(
        actor=cast.leader2, room_id=world.room.pk, client_id="b", body="收到", reply_to=first.pk
    )
    assert reply.reply_to == first
    with pytest.raises(ValidationError):
        rooms.message_send(actor=cast.leader2, room_id=world.room.pk, client_id="c", body="x", reply_to=999)


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[点我](javascript:alert(1))",
        "[点我](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<svg onload=alert(1)>",
        '[x](https://example.com/" onmouseover="alert(1))',
    ],
)
def test_no_script_onerror_or_javascript_link_survives_rendering(body):
    parsed = Elements()
    parsed.feed(render_markdown(body))
    for tag, attributes in parsed.found:
        assert tag in {"p", "a", "br", "strong", "em", "code", "pre", "blockquote", "ul", "li"}
        for name, value in attributes:
            assert not name.startswith("on")
            assert not (value or "").strip().lower().startswith("javascript:")


class Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def test_links_get_noopener_nofollow():
    assert render_markdown("[文档](https://example.com/a)") == (
        '<p><a href="https://example.com/a" rel="noopener nofollow">文档</a></p>'
    )


def test_history_pages_by_keyset(cast, world):
    for index in range(7):
        send(cast.member, world.room, f"k{index}", f"第{index}条")
    newest, more = selectors.room_history(world.room, limit=3)
    assert [m.seq for m in newest] == [5, 6, 7] and more
    older, more = selectors.room_history(world.room, before=5, limit=3)
    assert [m.seq for m in older] == [2, 3, 4] and more
    oldest, more = selectors.room_history(world.room, before=2, limit=3)
    assert [m.seq for m in oldest] == [1] and not more
    newer, more = selectors.room_history(world.room, after=4, limit=2)
    assert [m.seq for m in newer] == [5, 6] and more
    with pytest.raises(ValidationError):
        selectors.room_history(world.room, before="abc")


def test_unread_counts_follow_the_read_marker(cast, world):
    send(cast.leader2, world.room, "own")
    for index in range(3):
        send(cast.member, world.room, f"u{index}")
    [room] = selectors.rooms_of(cast.leader2)
    assert room.unread == 3  # one's own message is never unread
    rooms.read_mark(actor=cast.leader2, room_id=world.room.pk, seq=3)
    assert selectors.rooms_of(cast.leader2).get().unread == 1
    # A marker never moves back, nor past the last message.
    rooms.read_mark(actor=cast.leader2, room_id=world.room.pk, seq=1)
    assert rooms.read_mark(actor=cast.leader2, room_id=world.room.pk, seq=99).last_read_seq == 4
    assert selectors.unread_total(cast.leader2) == 0


def test_search_finds_a_chinese_substring_in_the_users_rooms_only(cast, world):
    send(cast.member, world.room, "s1", "明天讨论节能降耗方案")
    assert [m.body for m in selectors.message_search(cast.leader2, "降耗")] == ["明天讨论节能降耗方案"]
    assert selectors.message_search(cast.outsider, "降耗") == []
    assert len(selectors.message_search(cast.member, "降耗", room=world.room)) == 1


def test_presence_expires_without_any_disconnect(cast, world, monkeypatch):
    presence.presence_touch(room_id=world.room.pk, user_id=cast.member.pk, connection_id="tab")
    assert presence.online_among(world.room.pk, [cast.member.pk]) == [cast.member.pk]
    later = time.time() + presence.PRESENCE_TTL_SECONDS + 1
    monkeypatch.setattr(presence.time, "time", lambda: later)
    assert presence.online_among(world.room.pk, [cast.member.pk]) == []


def test_attachments_are_for_room_members_only(cast, world, api, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    upload = SimpleUploadedFile("方案<1>.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = as_user(api, cast.member).post(f"/api/v1/rooms/{world.room.pk}/attachments/", {"file": upload})
    assert response.status_code == 201, response.content
    attachment_id = response.json()["id"]
    url = f"/api/v1/rooms/{world.room.pk}/attachments/{attachment_id}/download/"
    download = as_user(api, cast.leader2).get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert as_user(api, cast.outsider).get(url).status_code == 404  # existence is private
    refused = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = as_user(api, cast.member).post(
        f"/api/v1/rooms/{world.room.pk}/attachments/", {"file": refused}
    )
    assert response.status_code == 400


def test_team_and_alliance_lists_give_each_room_id(cast, world, api):
    items = as_user(api, cast.leader2).get("/api/v1/teams/?mine=1").json()["results"]
    assert [(item["id"], item["room_id"]) for item in items] == [(world.team.pk, world.room.pk)]


def test_history_api_refuses_outsiders_and_bad_bounds(cast, world, api):
    send(cast.member, world.room, "h")
    assert as_user(api, cast.outsider).get(f"/api/v1/rooms/{world.room.pk}/messages/").status_code == 404
    assert (
        as_user(api, cast.member).get(f"/api/v1/rooms/{world.room.pk}/messages/?before=x").status_code == 400
    )
    body = as_user(api, cast.member).get(f"/api/v1/rooms/{world.room.pk}/messages/").json()
    assert [m["seq"] for m in body["messages"]] == [1] and body["more"] is False


def test_search_across_several_rooms_merges_each_rooms_newest_matches(cast, world, monkeypatch):
    from alliances.services.rooms import room_create

    private = room_create(title="两人会话", members=[cast.leader2, cast.member])
    send(cast.member, world.room, "t1", "节能方案初稿")
    send(cast.member, private, "p1", "节能方案修改意见")
    send(cast.leader2, world.room, "t2", "节能方案定稿")
    send(cast.member, private, "p2", "与节能无关的闲聊")
    expected = ["与节能无关的闲聊", "节能方案定稿", "节能方案修改意见", "节能方案初稿"]
    assert [m.body for m in selectors.message_search(cast.leader2, "节能")] == expected
    assert [m.body for m in selectors.message_search(cast.leader2, "方案")] == expected[1:]
    # A member of more rooms than the room-by-room plan takes: one walk over every message.
    monkeypatch.setattr(selectors, "SEARCH_ROOM_BY_ROOM", 1)
    assert [m.body for m in selectors.message_search(cast.leader2, "节能")] == expected
    assert selectors.message_search(cast.outsider, "节能") == []
    assert [m.body for m in selectors.message_search(cast.poster, "节能")] == []
