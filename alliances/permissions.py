"""Who may do what with alliances, teams, mentor pairs and rooms: the one place these rules live.
Services, selectors, pages and the room topic's authorizer all ask here."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from platform_core.conflicts import Party
from platform_core.orgs.models import Studio
from platform_core.orgs.permissions import admin_covers_unit, is_studio_member, is_union_admin, my_studios

from .models import Alliance, AllianceMembership, MentorPair, Room, RoomMember, Team, TeamMembership


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


# Alliances ------------------------------------------------------------------------------------


def can_coordinate_studio(user, studio: Studio) -> bool:
    """Acts for a studio in alliance matters: its leader, or a union admin over its unit."""
    return _signed_in(user) and (studio.leader_id == user.pk or admin_covers_unit(user, studio.unit))


def can_manage_alliance(user, alliance: Alliance) -> bool:
    """Invite studios, approve requests, remove studios, edit the charter: the coordinator."""
    return can_coordinate_studio(user, alliance.coordinator)


def can_answer_alliance_membership(user, membership: AllianceMembership) -> bool:
    """The side that did not start it answers: the invited studio (its leader or an admin over
    it), or the alliance's coordinator for a studio's request."""
    if membership.status == AllianceMembership.Status.INVITED:
        return can_coordinate_studio(user, membership.studio)
    if membership.status == AllianceMembership.Status.REQUESTED:
        return can_manage_alliance(user, membership.alliance)
    return False


def can_end_alliance_membership(user, alliance: Alliance, studio: Studio) -> bool:
    """The coordinator removes a studio, or the studio leaves (the coordinating studio stays)."""
    if studio.pk == alliance.coordinator_id:
        return False
    return can_manage_alliance(user, alliance) or can_coordinate_studio(user, studio)


def alliance_studio_ids(alliance: Alliance | int | None) -> QuerySet:
    return AllianceMembership.objects.filter(
        alliance=alliance, status=AllianceMembership.Status.ACTIVE
    ).values("studio_id")


# Teams ----------------------------------------------------------------------------------------


def team_membership_filter(user) -> Q:
    """The teams `user` is in (leads, or holds a membership in), as a filter on Team: the one
    definition of team membership. A signed-out or deactivated account is in no team."""
    if not _signed_in(user):
        return Q(pk__in=[])
    return Q(lead=user) | Q(memberships__user=user)


def my_teams(user) -> QuerySet:
    """The teams `user` is in, as a subquery of ids (one query for a whole list)."""
    return Team.objects.filter(team_membership_filter(user)).values("pk")


def is_team_member(user, team: Team) -> bool:
    """`team_membership_filter` asked about one team (the lead answers without a query)."""
    if not _signed_in(user):
        return False
    return team.lead_id == user.pk or Team.objects.filter(team_membership_filter(user), pk=team.pk).exists()


def team_party(team: Team) -> Party:
    """A team as a party to a conflict-of-interest check (platform_core.conflicts): its lead and
    its members, whatever their account's state, and the units they work in (one query)."""
    rows = list(TeamMembership.objects.filter(team=team).values_list("user_id", "user__unit_id"))
    people = {user_id for user_id, _unit in rows} | {team.lead_id}
    units = {unit for _user, unit in rows if unit is not None}
    if team.lead.unit_id is not None:
        units.add(team.lead.unit_id)
    return Party(unit_ids=frozenset(units), person_ids=frozenset(people), name=str(team))


def can_manage_team(user, team: Team) -> bool:
    """Invite, remove, change the status, hand over the lead: the team's lead (or a superuser)."""
    return _signed_in(user) and (team.lead_id == user.pk or user.is_superuser)


def teams_visible_filter(user) -> Q:
    """Teams a user may see: their own, those they are invited to, those with a member of a studio
    they lead (a leader sees which teams their members are in), every team for union admins."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if is_union_admin(user):
        return Q()
    led_studios = Studio.objects.filter(leader=user)
    return (
        team_membership_filter(user)
        | Q(invitations__user=user, invitations__status="pending")
        | Q(memberships__user__studio_memberships__studio__in=led_studios)
        | Q(memberships__user__led_studios__in=led_studios)
    )


def can_view_team(user, team: Team) -> bool:
    return Team.objects.filter(teams_visible_filter(user), pk=team.pk).exists()


def can_see_teams_of(viewer, member) -> bool:
    """The member themself, the leader of a studio they belong to, a union admin over their unit."""
    if not _signed_in(viewer):
        return False
    if viewer.pk == member.pk or viewer.is_superuser:
        return True
    if Studio.objects.filter(leader=viewer).filter(Q(memberships__user=member) | Q(leader=member)).exists():
        return True
    return member.unit_id is not None and admin_covers_unit(viewer, member.unit)


# Mentor pairs ---------------------------------------------------------------------------------


def can_manage_mentor_pairs(user, studio: Studio) -> bool:
    return studio.is_active and can_coordinate_studio(user, studio)


def can_view_mentor_pair(user, pair: MentorPair) -> bool:
    return _signed_in(user) and (
        user.pk in (pair.mentor_id, pair.apprentice_id)
        or is_studio_member(user, pair.studio)
        or admin_covers_unit(user, pair.studio.unit)
    )


def can_add_mentor_note(user, pair: MentorPair) -> bool:
    return _signed_in(user) and (
        user.pk in (pair.mentor_id, pair.apprentice_id) or can_coordinate_studio(user, pair.studio)
    )


# Rooms ----------------------------------------------------------------------------------------


def rooms_of_filter(user) -> Q:
    """The rooms whose messages `user` may read and write, as a filter on Room: the one statement
    of who is in a room. A team room follows the team (`team_membership_filter`), an alliance room
    the leaders and members of its *active* member studios (an invited, asking or removed studio
    reads nothing), a private room its explicit members."""
    if not _signed_in(user):
        return Q(pk__in=[])
    teams = Team.objects.filter(team_membership_filter(user)).values("pk")
    alliances = AllianceMembership.objects.filter(
        status=AllianceMembership.Status.ACTIVE, studio__in=my_studios(user)
    ).values("alliance_id")
    members = RoomMember.objects.filter(user=user, is_member=True).values("room_id")
    # Subqueries, not joins: one row per room, and the predicate below asks the same query.
    return (
        Q(kind=Room.Kind.TEAM, team__in=teams)
        | Q(kind=Room.Kind.ALLIANCE, alliance__in=alliances)
        | Q(kind=Room.Kind.PRIVATE, pk__in=members)
    )


def is_room_member(user, room: Room) -> bool:
    """Only members read or write a room: `rooms_of_filter` asked about one room (one query)."""
    if not _signed_in(user):
        return False
    return Room.objects.filter(rooms_of_filter(user), pk=room.pk).exists()


def room_members_filter(room: Room) -> Q:
    """Who may read and write `room`, as a filter on users: `rooms_of_filter` read the other way
    round (the team's lead and members; the leaders and members of the alliance's *active* member
    studios; a private room's listed members), active accounts only. The two are checked against
    each other for every kind of room (tests/alliances/test_room_access.py)."""
    if room.kind == Room.Kind.TEAM:
        people = Q(led_teams=room.team_id) | Q(team_memberships__team=room.team_id)
    elif room.kind == Room.Kind.ALLIANCE:
        studios = alliance_studio_ids(room.alliance_id)
        people = Q(led_studios__in=studios) | Q(studio_memberships__studio__in=studios)
    else:
        people = Q(room_memberships__room=room.pk, room_memberships__is_member=True)
    return people & Q(is_active=True)


def room_members_among(room: Room, users: Iterable) -> set[int]:
    """The ids of those of `users` who are members of `room`, in one query whatever their number
    (a batch of chat messages from several senders)."""
    ids = {user.pk for user in users if _signed_in(user)}
    if not ids:
        return set()
    members = get_user_model().objects.filter(room_members_filter(room), pk__in=ids)
    return set(members.values_list("pk", flat=True).distinct())


def is_room_moderator(user, room: Room) -> bool:
    """May delete anyone's message in the room: the team's lead, the alliance's coordinator."""
    if not _signed_in(user):
        return False
    if room.kind == Room.Kind.TEAM:
        assert room.team is not None
        return room.team.lead_id == user.pk
    if room.kind == Room.Kind.ALLIANCE:
        assert room.alliance is not None
        return room.alliance.coordinator.leader_id == user.pk
    return False
