"""The events of alliances, teams, mentor pairs and chat rooms, named once: live event names,
their payloads, the notification kinds, and the audit trail's labels."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels
from platform_core.notifications.kinds import EmailMode, register

from .models import Attachment, Message

# Live events on room:<id>.
MESSAGE_CREATED = "message.created"
MESSAGE_EDITED = "message.edited"
MESSAGE_DELETED = "message.deleted"
ROOM_MEMBER_ADDED = "room.member_added"
ROOM_MEMBER_REMOVED = "room.member_removed"
# On the reader's own user:<id> topic: a read marker moved (every tab updates its badges).
ROOM_READ = "room.read"

# Notification kinds.
MENTIONED = "chat.mentioned"
TEAM_INVITED = "team.invited"
ALLIANCE_INVITED = "alliance.invited"
ALLIANCE_REQUESTED = "alliance.requested"

_TEAMS = _("Teams, alliances and chat")
register(MENTIONED, _("Mentions in chat"), EmailMode.SOON, group=_TEAMS)
register(TEAM_INVITED, _("Invitations to a team"), EmailMode.SOON, group=_TEAMS)
register(ALLIANCE_INVITED, _("Invitations of my studio to an alliance"), EmailMode.SOON, group=_TEAMS)
register(ALLIANCE_REQUESTED, _("Studios asking to join my alliance"), EmailMode.SOON, group=_TEAMS)

# Audit actions.
TEAM_CREATED = "team.created"
TEAM_UPDATED = "team.updated"
TEAM_MEMBER_INVITED = "team.member_invited"
TEAM_INVITATION_ACCEPTED = "team.invitation_accepted"
TEAM_INVITATION_DECLINED = "team.invitation_declined"
TEAM_MEMBER_LEFT = "team.member_left"
TEAM_MEMBER_REMOVED = "team.member_removed"
TEAM_LEAD_TRANSFERRED = "team.lead_transferred"
ALLIANCE_CREATED = "alliance.created"
ALLIANCE_UPDATED = "alliance.updated"
ALLIANCE_STUDIO_INVITED = "alliance.studio_invited"
ALLIANCE_STUDIO_REQUESTED = "alliance.studio_requested"
ALLIANCE_STUDIO_JOINED = "alliance.studio_joined"
ALLIANCE_STUDIO_REMOVED = "alliance.studio_removed"
MENTOR_PAIR_CREATED = "mentor.pair_created"
MENTOR_PAIR_UPDATED = "mentor.pair_updated"
MENTOR_NOTE_ADDED = "mentor.note_added"
MESSAGE_DELETED_BY_MODERATOR = "message.deleted_by_moderator"

register_action_labels(
    {
        TEAM_CREATED: _("Team formed"),
        TEAM_UPDATED: _("Team edited"),
        TEAM_MEMBER_INVITED: _("Invited to the team"),
        TEAM_INVITATION_ACCEPTED: _("Team invitation accepted"),
        TEAM_INVITATION_DECLINED: _("Team invitation declined"),
        TEAM_MEMBER_LEFT: _("Left the team"),
        TEAM_MEMBER_REMOVED: _("Removed from the team"),
        TEAM_LEAD_TRANSFERRED: _("Team lead handed over"),
        ALLIANCE_CREATED: _("Alliance founded"),
        ALLIANCE_UPDATED: _("Alliance edited"),
        ALLIANCE_STUDIO_INVITED: _("Studio invited to the alliance"),
        ALLIANCE_STUDIO_REQUESTED: _("Studio asked to join the alliance"),
        ALLIANCE_STUDIO_JOINED: _("Studio joined the alliance"),
        ALLIANCE_STUDIO_REMOVED: _("Studio left the alliance"),
        MENTOR_PAIR_CREATED: _("Mentor and apprentice paired"),
        MENTOR_PAIR_UPDATED: _("Mentor pair updated"),
        MENTOR_NOTE_ADDED: _("Progress note added"),
        MESSAGE_DELETED_BY_MODERATOR: _("Chat message removed by the lead"),
    }
)


def person(user) -> dict:
    return {"id": user.pk, "name": str(user)}


def attachment_payload(attachment: Attachment) -> dict:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "size": attachment.size,
        "url": f"/api/v1/rooms/{attachment.room_id}/attachments/{attachment.pk}/download/",
    }


def message_payload(
    message: Message, *, mentions: Iterable | None = None, attachments: Iterable[Attachment] | None = None
) -> dict:
    """A message as the page and the API show it: rendered HTML, never raw markup to insert.
    A message just stored passes who it mentions and its attachments (no query to read them)."""
    if mentions is None:
        mentions = message.mentions.all()
    if attachments is None:
        attachments = message.attachments.all()
    reply = message.reply_to
    deleted = message.is_deleted
    return {
        "id": message.pk,
        "room_id": message.room_id,
        "seq": message.seq,
        "client_id": message.client_id,
        "sender": person(message.sender),
        "body": "" if deleted else message.body,
        "html": "" if deleted else message.html,
        "reply_to": (
            {"id": reply.pk, "seq": reply.seq, "sender": str(reply.sender), "excerpt": reply.body[:80]}
            if reply is not None and not reply.is_deleted
            else None
        ),
        "mentions": [user.pk for user in mentions],
        "attachments": [] if deleted else [attachment_payload(a) for a in attachments],
        "created_at": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "deleted": deleted,
    }


def message_edited(message: Message) -> dict:
    return {
        "id": message.pk,
        "seq": message.seq,
        "body": message.body,
        "html": message.html,
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
    }


def message_deleted(message: Message) -> dict:
    return {"id": message.pk, "seq": message.seq}


def room_read(room_id: int, last_read_seq: int, unread: int, total: int) -> dict:
    """`unread`: left in this room; `total`: in every room of the reader (the navigation badge)."""
    return {"room_id": room_id, "last_read_seq": last_read_seq, "unread": unread, "total": total}
