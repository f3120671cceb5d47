"""Input and output shapes of the alliances API."""

from __future__ import annotations

from rest_framework import serializers

from platform_core.uploads import CHAT_ATTACHMENT, help_text_lazy

from .events import message_payload
from .models import Alliance, AllianceMembership, Attachment, MentorNote, MentorPair, Message, Room, Team


class TeamOutput(serializers.ModelSerializer):
    lead = serializers.CharField(source="lead.name")
    lead_id = serializers.IntegerField()
    member_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    room_id = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "purpose",
            "status",
            "lead",
            "lead_id",
            "member_count",
            "source_alliance",
            "room_id",
        ]

    def get_room_id(self, team: Team) -> int | None:
        try:
            return team.room.pk
        except Room.DoesNotExist:
            return None


class TeamInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=8000)
    source_studio_ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=20)
    source_alliance_id = serializers.IntegerField(required=False, allow_null=True)


class TeamUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=8000)
    status = serializers.ChoiceField(choices=Team.Status.choices, required=False)


class UserIdInput(serializers.Serializer):
    user_id = serializers.IntegerField()


class StudioIdInput(serializers.Serializer):
    studio_id = serializers.IntegerField()


class InvitationAnswerInput(serializers.Serializer):
    accept = serializers.BooleanField()


class TeamMemberOutput(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField(source="user.name")
    unit = serializers.CharField(source="user.unit", default=None, allow_null=True)
    role = serializers.CharField()
    joined_at = serializers.DateTimeField()


class InvitationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    team_id = serializers.IntegerField()
    team = serializers.CharField(source="team.name")
    invited_by = serializers.CharField()
    state = serializers.CharField()
    expires_at = serializers.DateTimeField()


class AllianceOutput(serializers.ModelSerializer):
    coordinator = serializers.CharField(source="coordinator.name")
    coordinator_id = serializers.IntegerField()
    studio_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    room_id = serializers.SerializerMethodField()

    class Meta:
        model = Alliance
        fields = ["id", "name", "charter", "coordinator", "coordinator_id", "studio_count", "room_id"]

    def get_room_id(self, alliance: Alliance) -> int | None:
        try:
            return alliance.room.pk
        except Room.DoesNotExist:
            return None


class AllianceInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    charter = serializers.CharField(required=False, allow_blank=True, max_length=8000)
    coordinator_id = serializers.IntegerField()


class AllianceUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    charter = serializers.CharField(required=False, allow_blank=True, max_length=8000)


class AllianceMembershipOutput(serializers.ModelSerializer):
    studio = serializers.CharField(source="studio.name")

    class Meta:
        model = AllianceMembership
        fields = ["id", "studio_id", "studio", "status", "created_at", "joined_at"]


class MentorNoteOutput(serializers.ModelSerializer):
    author = serializers.CharField()

    class Meta:
        model = MentorNote
        fields = ["id", "author", "text", "created_at"]


class MentorPairOutput(serializers.ModelSerializer):
    studio = serializers.CharField(source="studio.name")
    mentor = serializers.CharField(source="mentor.name")
    apprentice = serializers.CharField(source="apprentice.name")

    class Meta:
        model = MentorPair
        fields = [
            "id",
            "studio_id",
            "studio",
            "mentor_id",
            "mentor",
            "apprentice_id",
            "apprentice",
            "skill",
            "started_on",
            "ended_on",
            "goals",
        ]


class MentorPairInput(serializers.Serializer):
    studio_id = serializers.IntegerField()
    mentor_id = serializers.IntegerField()
    apprentice_id = serializers.IntegerField()
    skill = serializers.CharField(max_length=120)
    started_on = serializers.DateField()
    goals = serializers.CharField(required=False, allow_blank=True, max_length=8000)


class MentorPairUpdateInput(serializers.Serializer):
    goals = serializers.CharField(required=False, allow_blank=True, max_length=8000)
    ended_on = serializers.DateField(required=False)


class NoteInput(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


class RoomOutput(serializers.ModelSerializer):
    unread = serializers.IntegerField(read_only=True, default=0)
    last_read_seq = serializers.IntegerField(source="read_seq", read_only=True, default=0)

    class Meta:
        model = Room
        fields = ["id", "kind", "title", "team_id", "alliance_id", "last_seq", "last_read_seq", "unread"]


class PersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MessageOutput(serializers.Serializer):
    """The same shape as the `message.created` event's data (events.message_payload)."""

    id = serializers.IntegerField()
    room_id = serializers.IntegerField()
    seq = serializers.IntegerField()
    client_id = serializers.CharField()
    sender = PersonOutput()
    body = serializers.CharField(help_text="the text as typed (empty once deleted)")
    html = serializers.CharField(help_text="the text rendered and sanitised on the server")
    reply_to = serializers.DictField(allow_null=True)
    mentions = serializers.ListField(child=serializers.IntegerField())
    attachments = serializers.ListField(child=serializers.DictField())
    created_at = serializers.DateTimeField()
    edited = serializers.BooleanField()
    deleted = serializers.BooleanField()

    def to_representation(self, instance: Message) -> dict:
        return message_payload(instance)


class HistoryOutput(serializers.Serializer):
    messages = MessageOutput(many=True)
    more = serializers.BooleanField()


class MessageInput(serializers.Serializer):
    client_id = serializers.CharField(max_length=64)
    body = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=20_000)
    reply_to = serializers.IntegerField(required=False, allow_null=True)
    attachments = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=10)


class ReadInput(serializers.Serializer):
    seq = serializers.IntegerField(min_value=0)


class ChatAttachmentInput(serializers.Serializer):
    file = serializers.FileField(help_text=help_text_lazy(CHAT_ATTACHMENT))


class ChatAttachmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "room_id", "name", "size", "created_at"]
