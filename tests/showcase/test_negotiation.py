"""The negotiation thread of an inquiry: a private room of the alliances chat whose only members are
the inquirer and the owner's lead. Every other role of the cast is refused everywhere the room
can be reached (the socket, the history, search and the room page) and never sees it counted."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from alliances import selectors as chat_selectors
from alliances.models import Message, Room
from alliances.selectors import room_member_ids
from alliances.services import rooms, teams
from showcase.models import Inquiry
from showcase.services import achievements, transfer
from tests.cast import ROLES
from tests.showcase.conftest import achievement_data, make_achievement

PARTIES = ("poster", "leader1")


def list_for_transfer(achievement, lead) -> None:
    transfer.listing_save(
        actor=lead, achievement=achievement, maturity=6, modes=["licence"], contact_name="王建国"
    )
    achievement.refresh_from_db()


def send_inquiry(cast) -> Inquiry:
    achievement = make_achievement(cast)
    list_for_transfer(achievement, cast.leader1)
    inquiry = transfer.inquiry_send(
        actor=cast.poster, listing=achievement.listing, mode="licence", message="想了解"
    )
    inquiry.refresh_from_db()
    return inquiry


@pytest.fixture
def inquiry(cast) -> Inquiry:
    return send_inquiry(cast)


@pytest.mark.django_db
def test_sending_an_inquiry_opens_a_private_room_of_the_two_parties(cast, inquiry):
    room = inquiry.room
    assert room is not None and room.kind == Room.Kind.PRIVATE
    assert inquiry.listing.achievement.title in room.title
    assert set(room_member_ids(room)) == {cast.poster.pk, cast.leader1.pk}
    assert inquiry.thread_opened_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_two_parties_read_and_write_the_thread(client, cast, inquiry, role):
    user = getattr(cast, role)
    party = role in PARTIES
    rooms.message_send(actor=cast.poster, room_id=inquiry.room_id, client_id="p-1", body="报价多少？")
    client.force_login(user)
    expected = 200 if party else 404  # someone else's room answers as a missing one
    assert client.get(reverse("api-room-messages", args=[inquiry.room_id])).status_code == expected
    assert (
        client.get(reverse("api-room-search", args=[inquiry.room_id]), {"q": "报价"}).status_code == expected
    )
    assert client.get(reverse("teams:room", args=[inquiry.room_id])).status_code == expected
    page = client.get(reverse("showcase:inquiry", args=[inquiry.pk]))
    assert page.status_code == (200 if party else 404)
    if party:
        assert f'data-live-topic="{inquiry.room.topic}"'.encode() in page.content
        assert client.get(f"/api/v1/inquiries/{inquiry.pk}/").json()["room"] == inquiry.room_id
    if role == "poster":
        return
    send = lambda: rooms.message_send(actor=user, room_id=inquiry.room_id, client_id="x-1", body="你好")  # noqa: E731
    if party:
        assert send()[1]
    else:
        with pytest.raises(PermissionDenied):
            send()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_thread_is_counted_for_its_parties_only(cast, inquiry, role):
    rooms.message_send(actor=cast.poster, room_id=inquiry.room_id, client_id="p-1", body="报价多少？")
    user = getattr(cast, role)
    listed = inquiry.room_id in set(chat_selectors.rooms_of(user).values_list("pk", flat=True))
    assert listed == (role in PARTIES)
    assert chat_selectors.unread_total(user) == (1 if role == "leader1" else 0)


@pytest.mark.django_db
def test_a_new_team_lead_takes_the_thread_over_from_the_former_one(client, cast):
    team = teams.team_create(actor=cast.leader2, name="带电作业攻关队", purpose="带电作业机器人")
    invitation = teams.team_invite(actor=cast.leader2, team=team, user=cast.member)
    teams.invitation_accept(actor=cast.member, invitation_id=invitation.pk)
    achievement = achievements.achievement_create(actor=cast.leader2, team=team, **achievement_data())
    achievements.achievement_submit(actor=cast.leader2, achievement=achievement)
    achievement = achievements.achievement_publish(actor=cast.superadmin, achievement=achievement)
    list_for_transfer(achievement, cast.leader2)
    inquiry = transfer.inquiry_send(
        actor=cast.poster, listing=achievement.listing, mode="licence", message="想了解"
    )
    assert set(room_member_ids(inquiry.room)) == {cast.poster.pk, cast.leader2.pk}
    teams.team_transfer_lead(actor=cast.leader2, team=team, user=cast.member)
    client.force_login(cast.member)
    assert client.get(reverse("showcase:inquiry", args=[inquiry.pk])).status_code == 200
    assert set(room_member_ids(inquiry.room)) == {cast.poster.pk, cast.member.pk}
    with pytest.raises(PermissionDenied):
        rooms.message_send(actor=cast.leader2, room_id=inquiry.room_id, client_id="late", body="还在吗")
    assert not Message.objects.filter(room=inquiry.room).exists()


@pytest.mark.django_db(transaction=True)
async def test_on_the_socket_only_the_two_parties_subscribe_and_send(sockets, tcast):
    inquiry = await sync_to_async(send_inquiry)(tcast)
    topic = f"room:{inquiry.room_id}"
    for role in ROLES:
        socket = await sockets.open(getattr(tcast, role))
        answer = await socket.subscribe(topic)
        frame = {"type": "message.send", "topic": topic, "client_id": f"{role}-1", "body": "你好"}
        await socket.send(frame)
        reply = await socket.receive_until(lambda f: f["type"] in {"ack", "error"})
        if role in PARTIES:
            assert answer["type"] == "subscribed", (role, answer)
            assert reply[-1]["type"] == "ack", (role, reply)
        else:
            # Someone else's room answers as a missing one.
            assert answer["type"] == "error" and answer["code"] == "not_found", (role, answer)
            assert reply[-1]["type"] == "error" and reply[-1]["code"] == "forbidden", (role, reply)
    senders = Message.objects.filter(room_id=inquiry.room_id).values_list("sender__username", flat=True)
    assert sorted(await sync_to_async(list)(senders)) == sorted(PARTIES)
