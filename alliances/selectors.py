"""Reads of alliances, teams, mentor pairs and rooms that depend on who asks."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.orgs.models import Studio, Unit
from platform_core.orgs.permissions import admin_scope_filter, my_studios

from . import permissions
from .models import (
    Alliance,
    AllianceMembership,
    Attachment,
    MentorPair,
    Message,
    Room,
    RoomMember,
    Team,
    TeamInvitation,
    TeamMembership,
)

HISTORY_PAGE = 50
HISTORY_MAX_PAGE = 200
SEARCH_MAX_RESULTS = 50

# Teams -----------------------------------------------------------------------------------------


def teams_visible_to(user) -> QuerySet[Team]:
    visible = Team.objects.filter(permissions.teams_visible_filter(user)).values("pk")
    return (
        Team.objects.filter(pk__in=visible)
        .select_related("lead", "room", "source_alliance")
        .annotate(member_count=Count("memberships", distinct=True))
    )


def teams_of(user) -> QuerySet[Team]:
    return teams_visible_to(user).filter(pk__in=permissions.my_teams(user))


def team_for_viewer(user, pk: int) -> Team:
    return get_object_or_404(teams_visible_to(user), pk=pk)


def team_members(team: Team) -> QuerySet[TeamMembership]:
    return team.memberships.select_related("user__unit").order_by("joined_at")


def teams_of_member(viewer, member_id: int) -> QuerySet[Team]:
    """Which teams a person is in, for the person, their studio's leader or a union admin over them.
    Anyone else gets the 404 that a missing or deactivated person gets: who is in which team is
    private, and so is whether the id is someone's."""
    member = get_user_model().objects.filter(pk=member_id, is_active=True).select_related("unit").first()
    if member is None or not permissions.can_see_teams_of(viewer, member):
        raise Http404
    return (
        Team.objects.filter(pk__in=permissions.my_teams(member))
        .select_related("lead", "room")
        .annotate(member_count=Count("memberships", distinct=True))
    )


def invitations_for(user) -> list[TeamInvitation]:
    """The user's pending invitations (expired ones included, shown as expired)."""
    return list(
        TeamInvitation.objects.filter(user=user, status=TeamInvitation.Status.PENDING)
        .select_related("team", "invited_by")
        .order_by("-created_at")
    )


def open_invitations_of_team(team: Team) -> QuerySet[TeamInvitation]:
    return team.invitations.filter(
        status=TeamInvitation.Status.PENDING, expires_at__gt=timezone.now()
    ).select_related("user")


# Alliances -------------------------------------------------------------------------------------


def alliances_visible_to(user) -> QuerySet[Alliance]:
    """Alliances are public to signed-in users: their charters invite studios to ask to join."""
    if not (user.is_authenticated and user.is_active):
        return Alliance.objects.none()
    return (
        Alliance.objects.select_related("coordinator", "room")
        .annotate(
            studio_count=Count(
                "memberships", filter=Q(memberships__status=AllianceMembership.Status.ACTIVE), distinct=True
            )
        )
        .order_by("name")
    )


def alliance_for_viewer(user, pk: int) -> Alliance:
    return get_object_or_404(alliances_visible_to(user), pk=pk)


def alliance_memberships(alliance: Alliance) -> QuerySet[AllianceMembership]:
    return alliance.memberships.select_related("studio__leader", "studio__unit").order_by(
        "status", "created_at"
    )


def studios_coordinated_by(user) -> QuerySet[Studio]:
    """Studios `user` may act for in alliance matters (those they lead)."""
    if not user.is_authenticated:
        return Studio.objects.none()
    return Studio.objects.filter(leader=user, status=Studio.Status.ACTIVE)


# Mentor pairs ----------------------------------------------------------------------------------


def mentor_pairs_visible_to(user) -> QuerySet[MentorPair]:
    if not (user.is_authenticated and user.is_active):
        return MentorPair.objects.none()
    base = MentorPair.objects.select_related("studio__unit", "mentor", "apprentice")
    if user.is_superuser:
        return base
    return base.filter(
        Q(mentor=user)
        | Q(apprentice=user)
        | Q(studio__in=my_studios(user))
        | Q(studio__unit__in=_units_administered(user))
    ).distinct()


def _units_administered(user):
    return Unit.objects.filter(admin_scope_filter(user, "pk")).values("pk")


def mentor_pair_for_viewer(user, pk: int) -> MentorPair:
    return get_object_or_404(mentor_pairs_visible_to(user), pk=pk)


# Rooms -----------------------------------------------------------------------------------------


def rooms_of(user) -> QuerySet[Room]:
    """The user's rooms, each with `unread`: messages of others after the user's read marker."""
    mine = Room.objects.filter(permissions.rooms_of_filter(user)).values("pk")
    marker = RoomMember.objects.filter(room=OuterRef("pk"), user=user).values("last_read_seq")[:1]
    unread = (
        Message.objects.filter(room=OuterRef("pk"), seq__gt=OuterRef("read_seq"), deleted_at__isnull=True)
        .exclude(sender=user)
        .order_by()
        .values("room")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Room.objects.filter(pk__in=mine)
        .select_related("team", "alliance")
        .annotate(read_seq=Coalesce(Subquery(marker), Value(0)))
        .annotate(unread=Coalesce(Subquery(unread), Value(0)))
        .order_by("-last_seq", "pk")
    )


def unread_total(user) -> int:
    return rooms_of(user).aggregate(total=Sum("unread"))["total"] or 0


def room_for_member(user, pk: int) -> Room:
    """A room its member may read. No such room and someone else's room get the same 404: a
    room's existence is private (Zulip's access_stream_by_id answers alike for both). One query:
    the membership rule is the room filter itself."""
    return get_object_or_404(
        Room.objects.filter(permissions.rooms_of_filter(user)).select_related(
            "team", "alliance__coordinator"
        ),
        pk=pk,
    )


def room_member_ids(room: Room) -> list[int]:
    """Everyone who may read the room (for presence)."""
    members = get_user_model().objects.filter(permissions.room_members_filter(room))
    return sorted(set(members.values_list("pk", flat=True)))


def _messages(room: Room) -> QuerySet[Message]:
    """A room's messages with their senders, and whether each has mentions or attachments
    (`_with_related` reads those only for the messages that have any)."""
    return (
        Message.objects.filter(room=room)
        .select_related("sender", "reply_to__sender")
        .annotate(
            has_mentions=Exists(Message.mentions.through.objects.filter(message_id=OuterRef("pk"))),
            has_attachments=Exists(Attachment.objects.filter(message_id=OuterRef("pk"))),
        )
    )


def _with_related(messages: list[Message]) -> list[Message]:
    """Prefetch mentions and attachments, one query each, only where a message has any: most
    messages have neither, and a page of plain messages then costs no further query (the profile
    of the history API put a third of its time in two prefetches that found nothing)."""
    empty = {"mentions": get_user_model().objects.none(), "attachments": Attachment.objects.none()}
    for name, flag in (("mentions", "has_mentions"), ("attachments", "has_attachments")):
        having = [message for message in messages if getattr(message, flag)]
        if having:
            prefetch_related_objects(having, name)
        for message in messages:
            if not getattr(message, flag):
                message.__dict__.setdefault("_prefetched_objects_cache", {})[name] = empty[name]
    return messages


def _page_size(limit: object) -> int:
    if limit in (None, ""):
        return HISTORY_PAGE
    try:
        size = int(str(limit))
    except ValueError:
        raise ValidationError({"limit": _("limit must be a number.")}) from None
    return max(1, min(size, HISTORY_MAX_PAGE))


def _seq_bound(value: object, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        bound = int(str(value))
    except ValueError:
        raise ValidationError({name: _("%(name)s must be a message number.") % {"name": name}}) from None
    if bound < 0:
        raise ValidationError({name: _("%(name)s must be a message number.") % {"name": name}})
    return bound


def room_history(room: Room, *, before: object = None, after: object = None, limit: object = None):
    """A page of messages in seq order, by keyset on (room, seq): `before` gives the page just
    older than a seq (the newest page when neither is given), `after` the page just newer.
    Returns (messages, more): `more` says whether further messages lie in that direction."""
    size = _page_size(limit)
    before_seq, after_seq = _seq_bound(before, "before"), _seq_bound(after, "after")
    if before_seq is not None and after_seq is not None:
        raise ValidationError(_("Give before or after, not both."))
    messages = _messages(room)
    if after_seq is not None:
        page = list(messages.filter(seq__gt=after_seq).order_by("seq")[: size + 1])
        return _with_related(page[:size]), len(page) > size
    if before_seq is not None:
        messages = messages.filter(seq__lt=before_seq)
    page = list(messages.order_by("-seq")[: size + 1])
    more = len(page) > size
    return _with_related(list(reversed(page[:size]))), more


# A member of this many rooms or fewer is searched room by room (see message_search).
SEARCH_ROOM_BY_ROOM = 20


def message_search(user, query: str, *, room: Room | None = None) -> list[Message]:
    """The newest messages containing `query` (a substring: Chinese words have no spaces) in one
    room or in every room of the user, at most SEARCH_MAX_RESULTS.

    Two plans, by how many rooms the user reads. A member of a few rooms is searched room by room:
    each room's newest matches walking its own (room, seq) index, then the newest of those; a
    newest-first walk over every message of the platform would pass the other rooms' messages
    first (a common word in 10 rooms of 200: 180 ms at 1,000,000 messages, docs/performance.md).
    A member of many rooms is searched in one newest-first walk (message_newest), where the rooms
    filter rejects little. On PostgreSQL the trigram and gram indexes serve the text test."""
    query = (query or "").strip()[:100]
    if not query:
        return []
    if room is not None:
        readable, room_ids = Room.objects.filter(pk=room.pk), [room.pk]
    else:
        readable = Room.objects.filter(permissions.rooms_of_filter(user)).order_by("pk")
        room_ids = list(readable.values_list("pk", flat=True)[: SEARCH_ROOM_BY_ROOM + 1])
    if not room_ids:
        return []
    # SQLite cannot limit the parts of a UNION: it walks once (a laptop's few thousand messages).
    if len(room_ids) == 1 or (
        len(room_ids) <= SEARCH_ROOM_BY_ROOM and connection.features.supports_slicing_ordering_in_compound
    ):
        # The substring test alone: with the gram index in the query PostgreSQL reads every match
        # of a common word on the platform first (1.4 s for 巡检 at 1,000,000), instead of
        # walking the room's newest messages until it has enough.
        in_room = Message.objects.filter(body__icontains=query, deleted_at__isnull=True)
        newest = [
            in_room.filter(room_id=room_id).order_by("-seq").values("pk", "created_at")[:SEARCH_MAX_RESULTS]
            for room_id in room_ids
        ]
        merged = (
            newest[0].union(*newest[1:], all=True).order_by("-created_at", "-pk")[:SEARCH_MAX_RESULTS]
            if len(newest) > 1
            else newest[0]
        )
        found = Message.objects.filter(pk__in=[row["pk"] for row in merged])
    else:
        matching = Message.objects.filter(_text_filter(query), deleted_at__isnull=True)
        found = matching.filter(room__in=readable.values("pk"))
    return list(
        found.select_related("sender", "room", "reply_to__sender")
        .prefetch_related("mentions", "attachments")
        .order_by("-created_at", "-pk")[:SEARCH_MAX_RESULTS]
    )


class _HasGram(Func):
    """message_grams(body) @> ARRAY[upper(gram)]: served by the gram index (migration 0004)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, gram: str):
        super().__init__(F("body"))
        self.gram = gram

    def as_sql(self, compiler, connection, **extra_context):
        body, params = compiler.compile(self.source_expressions[0])
        return f"message_grams({body}) @> ARRAY[upper(%s)]", [*params, self.gram]


def _text_filter(query: str) -> Q | _HasGram:
    """The messages holding `query` (any case): an `icontains`, which the trigram index serves
    from three characters. On PostgreSQL a query of one or two characters (巡检), which no
    trigram can be taken from, is also looked up in the gram index (migration 0004: the
    upper-cased body's characters and character pairs): a rare word is read from that index; a
    common one by walking the newest messages (message_newest), LIKE first."""
    if connection.vendor == "postgresql" and len(query) <= 2:
        return _HasGram(query) & Q(body__icontains=query)
    return Q(body__icontains=query)


def attachment_for_download(user, room_id: int, pk: int) -> Attachment:
    """A chat file for a member of its room; 404 alike for no such file and another room's."""
    # The room is looked up by its own primary key: Django answers "none" for an id past the
    # column's range there, where a `room_id=` lookup on the attachment overflows (a 500).
    rooms = Room.objects.filter(permissions.rooms_of_filter(user), pk=room_id).values("pk")
    return get_object_or_404(Attachment.objects.select_related("room").filter(room__in=rooms), pk=pk)
