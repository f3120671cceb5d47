"""Studio alliances, virtual cross-unit teams, mentor-apprentice pairs, and the chat rooms of
teams and alliances (docs/alliances.md).

`Team` and `TeamMembership` were made first, so that a challenge bid can come from a team with a
real database constraint; `alliances` never imports `challenges`. `Room` knows nothing of who
opens it: a team, an alliance, or another app's two-party thread (`services.room_create`).
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platform_core.private_storage import private_storage


class Alliance(models.Model):
    """创新工作室联盟: studios that work together, coordinated by one of them."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    charter = models.TextField(_("charter"), blank=True)
    coordinator = models.ForeignKey(
        "orgs.Studio",
        verbose_name=_("coordinating studio"),
        on_delete=models.PROTECT,
        related_name="coordinated_alliances",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("studio alliance")
        verbose_name_plural = _("studio alliances")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AllianceMembership(models.Model):
    """A studio in an alliance: invited by the coordinator, or asked to join; active once the
    other side agrees."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Member")

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE, related_name="memberships"
    )
    studio = models.ForeignKey(
        "orgs.Studio", verbose_name=_("studio"), on_delete=models.CASCADE, related_name="alliance_memberships"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alliance membership")
        verbose_name_plural = _("alliance memberships")
        ordering = ["alliance", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "studio"], name="alliance_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.studio} @ {self.alliance}"


class Team(models.Model):
    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(_("purpose"), blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lead"), on_delete=models.PROTECT, related_name="led_teams"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMembership", related_name="teams", verbose_name=_("members")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.FORMING)
    # Where the team comes from (shown on its page; membership is open to anyone invited).
    source_studios = models.ManyToManyField(
        "orgs.Studio", verbose_name=_("source studios"), blank=True, related_name="source_of_teams"
    )
    source_alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("source alliance"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("virtual team")
        verbose_name_plural = _("virtual teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.ARCHIVED


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        MEMBER = "member", _("Member")
        MENTOR = "mentor", _("Mentor")

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team", "joined_at"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.team}"


INVITATION_DAYS = 14


def _invitation_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=INVITATION_DAYS)


class TeamInvitation(models.Model):
    """An invitation to a team. It expires by itself: past `expires_at` a pending invitation reads
    as expired (no job changes the row)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invitee"),
        on_delete=models.CASCADE,
        related_name="team_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=_invitation_expiry)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(status="pending"),
                name="team_invitation_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.team}"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired

    @property
    def state(self) -> str:
        return "expired" if self.is_expired else self.status


class MentorPair(models.Model):
    """师带徒 inside a studio."""

    studio = models.ForeignKey(
        "orgs.Studio", verbose_name=_("studio"), on_delete=models.CASCADE, related_name="mentor_pairs"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="apprentices_taught",
    )
    apprentice = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("apprentice"),
        on_delete=models.CASCADE,
        related_name="mentors_of",
    )
    skill = models.CharField(_("skill"), max_length=120)
    started_on = models.DateField(_("start date"))
    goals = models.TextField(_("goals"), blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor-apprentice pair")
        verbose_name_plural = _("mentor-apprentice pairs")
        ordering = ["studio", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["studio", "mentor", "apprentice", "skill"], name="mentor_pair_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("apprentice")), name="mentor_pair_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.apprentice} ({self.skill})"


class MentorNote(models.Model):
    """A progress note on a pair, by the mentor, the apprentice or the studio's leader."""

    pair = models.ForeignKey(
        MentorPair, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["pair", "-created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class Room(models.Model):
    """A chat room (topic `room:<id>`). A team room's members are the team's members, an alliance
    room's are the leaders and members of its member studios (both derived, never copied); any
    other room lists its members in RoomMember (another app's two-party thread, say)."""

    class Kind(models.TextChoices):
        TEAM = "team", _("Team room")
        ALLIANCE = "alliance", _("Alliance room")
        PRIVATE = "private", _("Private room")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    team = models.OneToOneField(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.CASCADE, related_name="room"
    )
    alliance = models.OneToOneField(
        Alliance,
        verbose_name=_("alliance"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="room",
    )
    # Messages are numbered per room (1, 2, 3 …) under a lock on this row: history pages by it.
    last_seq = models.PositiveBigIntegerField(_("last message number"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="team", team__isnull=False, alliance__isnull=True)
                    | models.Q(kind="alliance", alliance__isnull=False, team__isnull=True)
                    | models.Q(kind="private", team__isnull=True, alliance__isnull=True)
                ),
                name="room_owner_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def topic(self) -> str:
        return f"room:{self.pk}"


class RoomMember(models.Model):
    """Explicit membership (private rooms) and everyone's read marker (every kind of room)."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="room_memberships",
    )
    # False: only a read marker in a derived room (team, alliance), not a grant of access.
    is_member = models.BooleanField(_("explicit member"), default=False)
    last_read_seq = models.PositiveBigIntegerField(_("last read message"), default=0)

    class Meta:
        verbose_name = _("room member")
        verbose_name_plural = _("room members")
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="room_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.room}"


class Message(models.Model):
    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField(_("number"))
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.CASCADE,
        related_name="chat_messages",
    )
    # The client's own id for this send: a retry after a lost ack finds the same message.
    client_id = models.CharField(_("client id"), max_length=64)
    body = models.TextField(_("text"))
    html = models.TextField(_("rendered text"))
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentions"), blank=True, related_name="chat_mentions"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "client_id"], name="message_client_id_once"),
            # Also the index of history pages (room, seq) in both directions.
            models.UniqueConstraint(fields=["room", "seq"], name="message_room_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.room} #{self.seq}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def attachment_upload_to(instance, filename: str) -> str:
    # A random name: the stored path reveals neither the room nor the original file name.
    extension = Path(filename).suffix.lower()[:10]
    return f"chat/{uuid.uuid4().hex}{extension}"


class Attachment(models.Model):
    """A file uploaded into a room, in private storage; downloaded only by the room's members."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="attachments"
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploader"), on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(
        Message,
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_upload_to, max_length=300
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("chat attachment")
        verbose_name_plural = _("chat attachments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class FieldOfWork(models.Model):
    """A field of work (专业领域) that courses and experience posts are tagged with: one vocabulary,
    so the learning and exchange search (alliances/knowledge.py) facets across them."""

    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("field of work")
        verbose_name_plural = _("fields of work")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
