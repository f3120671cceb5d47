"""An alliance room is read by the people of its *active* member studios only, through every door
(the room list, the room page, the API, message search, the socket); and a room that is not yours
answers exactly as a room that does not exist."""

from __future__ import annotations

import re

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from alliances.services import alliances
from alliances.services.rooms import message_send, room_for_alliance
from tests.conftest import as_user

SECRET = "联盟内部报价单"


def alliance_with(cast, state: str):
    """studio1 coordinates; studio2 is invited (not accepted), asks to join (not approved), was a
    member and left, or was a member and was removed."""
    alliance = alliances.alliance_create(actor=cast.leader1, name="焊接联盟", coordinator=cast.studio1)
    if state == "asked":
        alliances.alliance_request_join(actor=cast.leader2, alliance=alliance, studio=cast.studio2)
    else:
        invited = alliances.alliance_invite_studio(actor=cast.leader1, alliance=alliance, studio=cast.studio2)
        if state != "invited":
            alliances.alliance_membership_answer(actor=cast.leader2, membership_id=invited.pk, accept=True)
        if state in ("left", "removed"):
            actor = cast.leader2 if state == "left" else cast.leader1
            alliances.alliance_studio_remove(actor=actor, alliance=alliance, studio=cast.studio2)
    room = room_for_alliance(alliance)
    message_send(actor=cast.leader1, room_id=room.pk, client_id="secret-1", body=SECRET)
    return alliance, room


def doors(client, api, cast, alliance, room) -> dict[str, bool]:
    """Whether leader2 reads the room through each door."""
    client.force_login(cast.leader2)
    api = as_user(api, cast.leader2)
    listed = client.get(reverse("teams:list"))
    page = client.get(reverse("teams:room", args=[room.pk]))
    alliance_page = client.get(reverse("teams:alliance", args=[alliance.pk]))
    api_rooms = api.get("/api/v1/rooms/").json()["results"]
    search = api.get("/api/v1/messages/search/", {"q": SECRET}).json()
    room_search = api.get(f"/api/v1/rooms/{room.pk}/search/", {"q": SECRET})
    history = api.get(f"/api/v1/rooms/{room.pk}/messages/")
    return {
        "room list": room.pk in [each.pk for each in listed.context["rooms"]],
        "room page": page.status_code in (200, 302),
        "chat pane on the alliance page": alliance_page.context["in_room"]
        or f'data-live-topic="{room.topic}"' in alliance_page.content.decode(),
        "API room list": room.pk in [each["id"] for each in api_rooms],
        "message search": any(SECRET in each["body"] for each in search),
        "room search": room_search.status_code == 200,
        "history": history.status_code == 200,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["invited", "asked", "left", "removed"])
def test_a_studio_not_active_in_the_alliance_reads_nothing_of_its_room(client, api, cast, state):
    alliance, room = alliance_with(cast, state)
    assert doors(client, api, cast, alliance, room) == dict.fromkeys(
        doors(client, api, cast, alliance, room), False
    )


@pytest.mark.django_db
def test_an_active_member_studio_reads_the_room_through_every_door(client, api, cast):
    """The control: the doors above are open to a member, so their being shut means something."""
    alliance, room = alliance_with(cast, "active")
    assert all(doors(client, api, cast, alliance, room).values())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("state", ["invited", "asked", "left"])
async def test_nor_through_the_socket(sockets, tcast, state):
    _alliance, room = await sync_to_async(alliance_with)(tcast, state)
    socket = await sockets.open(tcast.leader2)
    answer = await socket.subscribe(room.topic, ref="a")
    missing = await socket.subscribe(f"room:{room.pk + 1000}", ref="a")
    # Refused exactly as a room that does not exist is.
    answer.pop("topic", None)
    missing.pop("topic", None)
    assert answer["type"] == "error" and answer == missing
    member = await sockets.open(tcast.leader1)
    assert (await member.subscribe(room.topic))["type"] == "subscribed"


# Missing or not yours: one answer --------------------------------------------------------------


def _same(first, second) -> None:
    """The same status, content type and body (the page's per-response nonce and CSRF token aside)."""

    def body(response) -> str:
        text = response.content.decode()
        text = re.sub(r'(nonce|value|content)="[^"]*"', "", text)
        return re.sub(r'"X-CSRFToken": "[^"]*"', "", text)

    assert first.status_code == second.status_code == 404
    assert first.get("Content-Type") == second.get("Content-Type")
    assert body(first) == body(second)


@pytest.mark.django_db
def test_a_room_not_yours_answers_as_a_missing_room_on_the_page_and_the_api(client, api, cast):
    _alliance, room = alliance_with(cast, "invited")
    missing = room.pk + 1000
    client.force_login(cast.leader2)
    _same(
        client.get(reverse("teams:room", args=[room.pk])), client.get(reverse("teams:room", args=[missing]))
    )
    api = as_user(api, cast.leader2)
    for path in ("messages/", "search/?q=x", "read/"):
        method = api.post if path == "read/" else api.get
        _same(method(f"/api/v1/rooms/{room.pk}/{path}"), method(f"/api/v1/rooms/{missing}/{path}"))
    _same(
        api.get(f"/api/v1/rooms/{room.pk}/attachments/1/download/"),
        api.get(f"/api/v1/rooms/{missing}/attachments/1/download/"),
    )
    # The events API behind the socket's catch-up answers alike too.
    _same(
        api.get("/api/v1/realtime/events/", {"topic": room.topic}),
        api.get("/api/v1/realtime/events/", {"topic": f"room:{missing}"}),
    )


@pytest.mark.django_db
def test_a_persons_teams_not_yours_answer_as_a_missing_person(api, cast):
    api = as_user(api, cast.outsider)  # neither `member` themself, nor their leader, nor an admin
    _same(
        api.get(f"/api/v1/users/{cast.member.pk}/teams/"),
        api.get(f"/api/v1/users/{cast.member.pk + 1000}/teams/"),
    )
    assert as_user(api, cast.leader1).get(f"/api/v1/users/{cast.member.pk}/teams/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind", ["team", "alliance-active", "alliance-removed", "private", "private-removed"]
)
def test_the_room_member_filter_and_the_room_filter_name_the_same_people(cast, kind):
    """Who may write in a room is asked both ways: the rooms of a person (rooms_of_filter, pages,
    subscriptions) and the people of a room (room_members_filter, a batch of chat sends,
    presence). Both read the same rule: they agree for everyone, a disabled account included."""
    from alliances.permissions import is_room_member, room_members_among
    from alliances.selectors import room_member_ids
    from alliances.services.rooms import room_create, room_member_remove
    from tests.alliances.conftest import make_team

    if kind == "team":
        room = make_team(cast).room
    elif kind.startswith("alliance"):
        _alliance, room = alliance_with(cast, "removed" if kind.endswith("removed") else "joined")
    else:
        room = room_create(title="两人会话", members=[cast.poster, cast.expert, cast.member])
        if kind.endswith("removed"):
            room_member_remove(room=room, user=cast.expert)
    cast.member.is_active = False
    cast.member.save(update_fields=["is_active"])
    people = list(cast.everyone().values())
    expected = {person.pk for person in people if is_room_member(person, room)}
    assert expected, "somebody is in the room"
    assert room_members_among(room, people) == expected
    assert set(room_member_ids(room)) >= expected
    assert not set(room_member_ids(room)) & {p.pk for p in people if p.pk not in expected}
