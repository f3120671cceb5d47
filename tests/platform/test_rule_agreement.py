"""Each rule that is both a queryset filter (lists) and a predicate (one object) gives one answer.

For every pair: every role of the cast (and the extra people each area needs: a member who left,
a deactivated member, the leader of a studio only invited to an alliance …), over objects in
every state that changes the answer, the filter lists the object exactly when the predicate
admits it. Where the predicate is derived from the filter this holds by construction; the test
keeps it so if someone writes a shortcut.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from alliances import permissions as alliance_permissions
from alliances.models import Room, Team
from alliances.services import alliances, teams
from alliances.services.rooms import room_for_alliance, room_for_team
from challenges import permissions as challenge_permissions
from challenges import selectors as challenge_selectors
from challenges.lifecycle import State
from challenges.models import Challenge, Problem
from challenges.services import problems, reviews
from platform_core.accounts.models import ExpertProfile, PosterGrant
from platform_core.orgs.models import Studio
from showcase import permissions as showcase_permissions
from showcase import selectors as showcase_selectors
from showcase.models import Inquiry, Round
from showcase.services import rounds, transfer
from tests.cast import ROLES, Cast, name_studio
from tests.challenges.conftest import World, make_world
from tests.events import make_user
from tests.showcase.conftest import make_achievement

pytestmark = pytest.mark.django_db


def viewers(cast: Cast, **extra) -> dict[str, object]:
    """Every role of the cast, a visitor, and the extra people of one area."""
    people: dict[str, object] = {"anonymous": AnonymousUser()}
    people.update({role: getattr(cast, role) for role in ROLES})
    people.update(extra)
    return people


def disagreements(people: dict, objects: dict, listed, admits) -> list[str]:
    """(viewer, object) pairs on which `listed(user)` (ids) and `admits(user, obj)` differ."""
    found = []
    for who, user in people.items():
        ids = set(listed(user))
        for name, obj in objects.items():
            if (obj.pk in ids) != admits(user, obj):
                found.append(f"{who} / {name}: filter {obj.pk in ids}, predicate {obj.pk not in ids}")
    return found


# Teams and rooms ------------------------------------------------------------------------------


def team_scene(cast: Cast):
    """A team led by `member` with leader2; `leaver` joined and left; `sleeper` joined and was
    deactivated; `invitee` is invited. Alliance rooms with studios active, invited, asking,
    removed. A private room (an inquiry's thread)."""
    team = teams.team_create(actor=cast.member, name="跨单位攻关队", purpose="攻关")
    extra = {name: make_user(name, cast.unit_c) for name in ("leaver", "sleeper", "invitee")}
    for user in (cast.leader2, extra["leaver"], extra["sleeper"]):
        invitation = teams.team_invite(actor=cast.member, team=team, user=user)
        teams.invitation_accept(actor=user, invitation_id=invitation.pk)
    teams.team_leave(actor=extra["leaver"], team=team)
    teams.team_invite(actor=cast.member, team=team, user=extra["invitee"])
    extra["sleeper"].is_active = False
    extra["sleeper"].save(update_fields=["is_active"])
    other_team = teams.team_create(actor=cast.outsider, name="外单位队", purpose="攻关")

    studios = {}
    for name in ("leader3", "leader4", "leader5"):
        extra[name] = make_user(name, cast.unit_c)
        studios[name] = name_studio(
            cast.superadmin,
            name=f"{name}工作室",
            unit=cast.unit_c,
            type=Studio.Type.SKILL,
            level=Studio.Level.GRASSROOTS,
            leader=extra[name],
        )
    alliance = alliances.alliance_create(actor=cast.leader1, name="焊接联盟", coordinator=cast.studio1)
    invited = alliances.alliance_invite_studio(actor=cast.leader1, alliance=alliance, studio=cast.studio2)
    alliances.alliance_membership_answer(actor=cast.leader2, membership_id=invited.pk, accept=True)  # active
    alliances.alliance_invite_studio(
        actor=cast.leader1, alliance=alliance, studio=studios["leader3"]
    )  # invited
    alliances.alliance_request_join(
        actor=extra["leader4"], alliance=alliance, studio=studios["leader4"]
    )  # asks
    removed = alliances.alliance_invite_studio(
        actor=cast.leader1, alliance=alliance, studio=studios["leader5"]
    )
    alliances.alliance_membership_answer(actor=extra["leader5"], membership_id=removed.pk, accept=True)
    alliances.alliance_studio_remove(actor=cast.leader1, alliance=alliance, studio=studios["leader5"])

    achievement = make_achievement(cast, studio=cast.studio2)
    transfer.listing_save(
        actor=cast.leader2, achievement=achievement, maturity=6, modes=["licence"], contact_name="王建国"
    )
    achievement.refresh_from_db()
    inquiry = transfer.inquiry_send(
        actor=cast.poster, listing=achievement.listing, mode="licence", message="想了解"
    )
    inquiry.refresh_from_db()
    rooms = {
        "team room": room_for_team(team),
        "other team's room": room_for_team(other_team),
        "alliance room": room_for_alliance(alliance),
        "private room": inquiry.room,
    }
    return {"team": team, "other team": other_team}, rooms, extra, inquiry


def test_who_reads_a_room(cast):
    _teams, rooms, extra, _inquiry = team_scene(cast)
    people = viewers(cast, **extra)
    assert (
        disagreements(
            people,
            rooms,
            lambda user: Room.objects.filter(alliance_permissions.rooms_of_filter(user)).values_list(
                "pk", flat=True
            ),
            alliance_permissions.is_room_member,
        )
        == []
    )
    # The states matter: the scene has readers and non-readers of each room.
    team_room, alliance_room = rooms["team room"], rooms["alliance room"]
    assert alliance_permissions.is_room_member(cast.member, team_room)
    assert not alliance_permissions.is_room_member(extra["leaver"], team_room)
    assert not alliance_permissions.is_room_member(extra["sleeper"], team_room)
    assert alliance_permissions.is_room_member(cast.leader2, alliance_room)
    for outside in ("leader3", "leader4", "leader5"):
        assert not alliance_permissions.is_room_member(extra[outside], alliance_room), outside


def test_team_membership(cast):
    team_objects, _rooms, extra, _inquiry = team_scene(cast)
    people = viewers(cast, **extra)

    def listed(user):
        return Team.objects.filter(pk__in=alliance_permissions.my_teams(user)).values_list("pk", flat=True)

    assert disagreements(people, team_objects, listed, alliance_permissions.is_team_member) == []
    # The people tied to a team for conflicts of interest are its members whatever their
    # account's state: the deactivated member is tied, not a member who may act.
    team = team_objects["team"]
    party = alliance_permissions.team_party(team)
    for who, user in people.items():
        if user.is_authenticated and user.is_active:
            assert (user.pk in party.person_ids) == alliance_permissions.is_team_member(user, team), who
    assert extra["sleeper"].pk in party.person_ids


def test_a_deactivated_team_member_is_not_a_member_anywhere(cast):
    """There were two definitions: challenges' ignored the account's state, so a deactivated
    member still saw the team's sealed bid and the team's draft achievement."""
    world = make_world(cast)
    sleeper = make_user("sleeper", cast.unit_c)
    invitation = teams.team_invite(actor=world.teamlead, team=world.team, user=sleeper)
    teams.invitation_accept(actor=sleeper, invitation_id=invitation.pk)
    challenge = world.published()
    bid = world.bid(challenge, "team")
    assert challenge_permissions.can_see_bid(sleeper, bid, state=State.PUBLISHED)
    sleeper.is_active = False
    sleeper.save(update_fields=["is_active"])
    assert not alliance_permissions.is_team_member(sleeper, world.team)
    assert not challenge_permissions.belongs_to_bidder(sleeper, bid)
    assert not challenge_permissions.can_see_bid(sleeper, bid, state=State.PUBLISHED)
    assert challenge_permissions.is_team_member is alliance_permissions.is_team_member


def test_teams_visible(cast):
    team_objects, _rooms, extra, _inquiry = team_scene(cast)
    people = viewers(cast, **extra)

    def listed(user):
        return Team.objects.filter(alliance_permissions.teams_visible_filter(user)).values_list(
            "pk", flat=True
        )

    assert disagreements(people, team_objects, listed, alliance_permissions.can_view_team) == []


def test_inquiries(cast):
    _teams, _rooms, extra, inquiry = team_scene(cast)
    people = viewers(cast, **extra)
    declined = transfer.inquiry_send(
        actor=cast.outsider, listing=inquiry.listing, mode="licence", message="也想了解"
    )
    transfer.inquiry_set_status(actor=cast.outsider, inquiry=declined, status=Inquiry.Status.DECLINED)
    objects = {"open inquiry": inquiry, "declined inquiry": Inquiry.objects.get(pk=declined.pk)}

    def listed(user):
        if not user.is_authenticated:
            return []
        return Inquiry.objects.filter(showcase_permissions.inquiries_of_filter(user)).values_list(
            "pk", flat=True
        )

    assert disagreements(people, objects, listed, showcase_permissions.can_see_inquiry) == []


# Challenges, problems, rounds -----------------------------------------------------------------


def challenge_scene(world: World) -> dict[str, Challenge]:
    cast = world.cast
    scene = {
        "draft": world.draft(title="草稿"),
        "pending approval": world.in_state(State.PENDING_APPROVAL, title="待审"),
        "withdrawn draft": world.in_state(State.WITHDRAWN, title="撤回草稿"),
        "published": world.published(title="公开"),
        "invited studio2": world.published(
            title="定向工作室", eligibility="invitation", invited_studios=[cast.studio2.pk]
        ),
        "invited team": world.published(
            title="定向团队", eligibility="invitation", invited_teams=[world.team.pk]
        ),
        "under review": world.in_state(State.UNDER_REVIEW, title="评审中"),
    }
    once_public = world.published(title="公开后撤回")
    scene["withdrawn once public"] = world.act(once_public, cast.poster, "withdraw")
    invited = world.published(title="定向后撤回", eligibility="invitation", invited_studios=[cast.studio2.pk])
    scene["withdrawn invitation"] = world.act(invited, cast.poster, "withdraw")
    reviews.expert_assign(actor=cast.poster, challenge=scene["invited team"], expert=world.expert2)
    return {name: Challenge.objects.get(pk=challenge.pk) for name, challenge in scene.items()}


def test_who_sees_a_challenge(cast):
    world = make_world(cast)
    objects = challenge_scene(world)
    people = viewers(cast, expert2=world.expert2, teamlead=world.teamlead)

    def listed(user):
        return Challenge.objects.filter(challenge_permissions.visible_challenges_filter(user)).values_list(
            "pk", flat=True
        )

    assert disagreements(people, objects, listed, challenge_permissions.can_see_challenge) == []


def test_who_sees_a_problem(cast):
    second_poster = make_user("poster_b", cast.unit_b)
    PosterGrant.objects.create(user=second_poster, unit=cast.unit_b)
    objects = {
        f"{unit.name} by {who}": problems.problem_submit(
            actor=getattr(cast, who), unit=unit, title=f"问题{unit.pk}{who}", description="描述"
        )
        for unit in (cast.unit_a, cast.unit_b, cast.unit_c)
        for who in ("member", "outsider")
    }
    people = viewers(cast, poster_b=second_poster)

    def listed(user):
        return challenge_selectors.problems_visible_to(user).values_list("pk", flat=True)

    assert disagreements(people, objects, listed, challenge_permissions.can_see_problem) == []
    assert Problem.objects.count() == 6


def test_who_sees_a_round(cast):
    panel_expert = make_user("panel", cast.unit_c)
    ExpertProfile.objects.create(user=panel_expert, committee=ExpertProfile.Committee.TECHNICAL)
    today = datetime.date.today()

    def open_round(title: str) -> Round:
        return rounds.round_open(
            actor=cast.admin,
            kind=Round.Kind.APPRAISAL,
            title=title,
            starts_on=today,
            ends_on=today,
            criteria=[("创新性", 100)],
            experts=[panel_expert],
        )

    closed = rounds.round_close(actor=cast.admin, round=open_round("已截止"))
    published = rounds.round_publish(
        actor=cast.admin, round=rounds.round_close(actor=cast.admin, round=open_round("已公布")), results={}
    )
    objects = {"open": open_round("进行中"), "closed": closed, "published": published}
    people = viewers(cast, panel=panel_expert)

    def listed(user):
        return showcase_selectors.rounds_for(user).values_list("pk", flat=True)

    assert disagreements(people, objects, listed, showcase_permissions.can_see_round) == []


# Media uploads --------------------------------------------------------------------------------


def test_whose_upload_it_is(cast):
    from platform_core.media import permissions as media_permissions
    from platform_core.media.models import MediaFile
    from platform_core.media.services import media_upload_start

    sleeper = make_user("media_sleeper", cast.unit_a)
    uploads = {
        "member's": media_upload_start(actor=cast.member, kind="video", name="课.webm", size=10),
        "sleeper's": media_upload_start(actor=sleeper, kind="audio", name="讲.mp3", size=10),
    }
    sleeper.is_active = False
    sleeper.save(update_fields=["is_active"])
    found = disagreements(
        viewers(cast, sleeper=sleeper),
        uploads,
        lambda user: MediaFile.objects.filter(media_permissions.uploads_of_filter(user)).values_list(
            "pk", flat=True
        ),
        media_permissions.is_uploader,
    )
    assert not found, found


# Consultations --------------------------------------------------------------------------------


def test_consultations(cast, tmp_path, settings):
    """Who reads a consultation as a party or overseer (`consultations_of_filter` /
    `is_party_or_overseer`), and who may take one from the pool (`pool_candidates_filter` refined
    by the conflict rule, `may_take`), over waiting, taken, closed and published questions and a
    deactivated expert."""
    from alliances.consulting import permissions as consulting_permissions
    from alliances.consulting import selectors as consulting_selectors
    from alliances.consulting.models import Consultation
    from tests.consulting.world import make_consulting_world

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    world = make_consulting_world(cast)
    sleeper = make_user("sleeper", cast.unit_c)
    from platform_core.accounts.committees import committee_seat_grant

    committee_seat_grant(user=sleeper, code="technical")
    sleeper.is_active = False
    sleeper.save(update_fields=["is_active"])
    people = viewers(cast, sleeper=sleeper)
    objects = {
        name: Consultation.objects.get(pk=getattr(world, name).pk)
        for name in ("waiting", "taken", "closed", "published")
    }

    def listed(user):
        return Consultation.objects.filter(consulting_permissions.consultations_of_filter(user)).values_list(
            "pk", flat=True
        )

    assert disagreements(people, objects, listed, consulting_permissions.is_party_or_overseer) == []

    def pool(user):
        return [item.pk for item in consulting_selectors.takeable_by(user)] if user.is_authenticated else []

    assert disagreements(people, objects, pool, consulting_permissions.may_take) == []
