from django.contrib import admin

from platform_core.admin_base import ReadOnlyModelAdmin

from .models import (
    Alliance,
    AllianceMembership,
    Attachment,
    FieldOfWork,
    MentorNote,
    MentorPair,
    Message,
    Room,
    RoomMember,
    Team,
    TeamInvitation,
    TeamMembership,
)


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "lead", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name"]
    inlines = [TeamMembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(ReadOnlyModelAdmin):
    list_display = ["team", "user", "role", "joined_at"]


# Everything below is written by the services (memberships, invitations, chat): read-only here.


@admin.register(Alliance)
class AllianceAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "coordinator", "created_at"]
    search_fields = ["name"]


@admin.register(AllianceMembership)
class AllianceMembershipAdmin(ReadOnlyModelAdmin):
    list_display = ["alliance", "studio", "status", "joined_at"]
    list_filter = ["status"]


@admin.register(TeamInvitation)
class TeamInvitationAdmin(ReadOnlyModelAdmin):
    list_display = ["team", "user", "invited_by", "status", "expires_at"]
    list_filter = ["status"]


@admin.register(MentorPair)
class MentorPairAdmin(ReadOnlyModelAdmin):
    list_display = ["studio", "mentor", "apprentice", "skill", "started_on", "ended_on"]
    search_fields = ["skill"]


@admin.register(MentorNote)
class MentorNoteAdmin(ReadOnlyModelAdmin):
    list_display = ["pair", "author", "created_at"]


@admin.register(Room)
class RoomAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "kind", "last_seq", "created_at"]
    list_filter = ["kind"]


@admin.register(RoomMember)
class RoomMemberAdmin(ReadOnlyModelAdmin):
    list_display = ["room", "user", "is_member", "last_read_seq"]


@admin.register(Message)
class MessageAdmin(ReadOnlyModelAdmin):
    list_display = ["room", "seq", "sender", "created_at", "edited_at", "deleted_at"]
    list_select_related = ["room", "sender"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "room", "uploader", "size", "created_at"]


@admin.register(FieldOfWork)
class FieldOfWorkAdmin(admin.ModelAdmin):
    # A vocabulary, not a record of anyone's work: the union's staff keep it tidy here.
    list_display = ["name"]
    search_fields = ["name"]
