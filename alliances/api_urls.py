"""/api/v1/ routes of teams, alliances, mentor pairs and rooms."""

from django.urls import path

from . import api

urlpatterns = [
    path("teams/", api.TeamListApi.as_view(), name="api-teams"),
    path("teams/<int:pk>/", api.TeamDetailApi.as_view(), name="api-team"),
    path("teams/<int:pk>/members/", api.TeamMembersApi.as_view(), name="api-team-members"),
    path("teams/<int:pk>/members/<int:user_id>/", api.TeamMemberApi.as_view(), name="api-team-member"),
    path("teams/<int:pk>/leave/", api.TeamLeaveApi.as_view(), name="api-team-leave"),
    path("teams/<int:pk>/transfer-lead/", api.TeamTransferLeadApi.as_view(), name="api-team-transfer-lead"),
    path("teams/<int:pk>/invitations/", api.TeamInviteApi.as_view(), name="api-team-invite"),
    path("team-invitations/", api.InvitationListApi.as_view(), name="api-team-invitations"),
    path(
        "team-invitations/<int:pk>/answer/",
        api.InvitationAnswerApi.as_view(),
        name="api-team-invitation-answer",
    ),
    path("users/<int:user_id>/teams/", api.MemberTeamsApi.as_view(), name="api-member-teams"),
    path("alliances/", api.AllianceListApi.as_view(), name="api-alliances"),
    path("alliances/<int:pk>/", api.AllianceDetailApi.as_view(), name="api-alliance"),
    path("alliances/<int:pk>/studios/", api.AllianceStudiosApi.as_view(), name="api-alliance-studios"),
    path(
        "alliances/<int:pk>/studios/<int:studio_id>/",
        api.AllianceStudioApi.as_view(),
        name="api-alliance-studio",
    ),
    path("alliances/<int:pk>/invite/", api.AllianceInviteApi.as_view(), name="api-alliance-invite"),
    path("alliances/<int:pk>/join/", api.AllianceJoinApi.as_view(), name="api-alliance-join"),
    path(
        "alliance-memberships/<int:pk>/answer/",
        api.AllianceMembershipAnswerApi.as_view(),
        name="api-alliance-membership-answer",
    ),
    path("mentor-pairs/", api.MentorPairListApi.as_view(), name="api-mentor-pairs"),
    path("mentor-pairs/<int:pk>/", api.MentorPairDetailApi.as_view(), name="api-mentor-pair"),
    path("mentor-pairs/<int:pk>/notes/", api.MentorNotesApi.as_view(), name="api-mentor-notes"),
    path("rooms/", api.RoomListApi.as_view(), name="api-rooms"),
    path("rooms/<int:pk>/messages/", api.RoomMessagesApi.as_view(), name="api-room-messages"),
    path("rooms/<int:pk>/read/", api.RoomReadApi.as_view(), name="api-room-read"),
    path("rooms/<int:pk>/search/", api.RoomSearchApi.as_view(), name="api-room-search"),
    path("rooms/<int:pk>/attachments/", api.RoomAttachmentUploadApi.as_view(), name="api-room-attachments"),
    path(
        "rooms/<int:pk>/attachments/<int:attachment_id>/download/",
        api.RoomAttachmentDownloadApi.as_view(),
        name="api-room-attachment-download",
    ),
    path("messages/search/", api.MessageSearchApi.as_view(), name="api-message-search"),
]
