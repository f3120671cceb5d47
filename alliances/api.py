"""/api/v1/ views of teams, alliances, mentor pairs and rooms: parse, call a service or a
selector, serialise. Services raise Django's exceptions; platform_core.api turns them into
400/403/404 once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import AnonymousBrowserToLoginMixin
from platform_core.orgs.models import Studio
from platform_core.private_storage import private_file_response

from . import selectors
from . import serializers as s
from .events import message_payload
from .models import Alliance
from .services import alliances as alliance_services
from .services import mentors, rooms, teams


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _user(pk: int):
    return get_object_or_404(get_user_model(), pk=pk, is_active=True)


# Teams -----------------------------------------------------------------------------------------


class TeamListApi(ListAPIView):
    """Teams the caller may see (`?mine=1`: only their own), each with its room's id."""

    serializer_class = s.TeamOutput

    @extend_schema(parameters=[OpenApiParameter("mine", bool, required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if self.request.query_params.get("mine") in ("1", "true"):
            return selectors.teams_of(self.request.user).order_by("name", "pk")
        return selectors.teams_visible_to(self.request.user).order_by("name", "pk")

    @extend_schema(request=s.TeamInput, responses={201: s.TeamOutput})
    def post(self, request):
        data = _valid(s.TeamInput, request)
        alliance = None
        if data.get("source_alliance_id"):
            alliance = get_object_or_404(Alliance, pk=data["source_alliance_id"])
        team = teams.team_create(
            actor=request.user,
            name=data["name"],
            purpose=data.get("purpose", ""),
            source_studios=Studio.objects.filter(pk__in=data.get("source_studio_ids", [])),
            source_alliance=alliance,
        )
        return Response(s.TeamOutput(selectors.team_for_viewer(request.user, team.pk)).data, status=201)


class TeamDetailApi(APIView):
    @extend_schema(responses=s.TeamOutput)
    def get(self, request, pk: int):
        return Response(s.TeamOutput(selectors.team_for_viewer(request.user, pk)).data)

    @extend_schema(request=s.TeamUpdateInput, responses=s.TeamOutput)
    def patch(self, request, pk: int):
        team = selectors.team_for_viewer(request.user, pk)
        teams.team_update(actor=request.user, team=team, **_valid(s.TeamUpdateInput, request))
        return Response(s.TeamOutput(selectors.team_for_viewer(request.user, pk)).data)


class TeamMembersApi(APIView):
    @extend_schema(responses=s.TeamMemberOutput(many=True))
    def get(self, request, pk: int):
        team = selectors.team_for_viewer(request.user, pk)
        return Response(s.TeamMemberOutput(selectors.team_members(team), many=True).data)


class TeamMemberApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk: int, user_id: int):
        team = selectors.team_for_viewer(request.user, pk)
        teams.team_member_remove(actor=request.user, team=team, user=_user(user_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamLeaveApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, pk: int):
        teams.team_leave(actor=request.user, team=selectors.team_for_viewer(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamTransferLeadApi(APIView):
    @extend_schema(request=s.UserIdInput, responses=s.TeamOutput)
    def post(self, request, pk: int):
        team = selectors.team_for_viewer(request.user, pk)
        user = _user(_valid(s.UserIdInput, request)["user_id"])
        teams.team_transfer_lead(actor=request.user, team=team, user=user)
        return Response(s.TeamOutput(selectors.team_for_viewer(request.user, pk)).data)


class TeamInviteApi(APIView):
    @extend_schema(request=s.UserIdInput, responses={201: s.InvitationOutput})
    def post(self, request, pk: int):
        team = selectors.team_for_viewer(request.user, pk)
        user = _user(_valid(s.UserIdInput, request)["user_id"])
        invitation = teams.team_invite(actor=request.user, team=team, user=user)
        return Response(s.InvitationOutput(invitation).data, status=201)


class InvitationListApi(APIView):
    """The caller's pending invitations; past their expiry they read `state: "expired"`."""

    @extend_schema(responses=s.InvitationOutput(many=True))
    def get(self, request):
        return Response(s.InvitationOutput(selectors.invitations_for(request.user), many=True).data)


class InvitationAnswerApi(APIView):
    @extend_schema(request=s.InvitationAnswerInput, responses={204: None})
    def post(self, request, pk: int):
        if _valid(s.InvitationAnswerInput, request)["accept"]:
            teams.invitation_accept(actor=request.user, invitation_id=pk)
        else:
            teams.invitation_decline(actor=request.user, invitation_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberTeamsApi(APIView):
    """Which teams a person is in: for themself, their studio's leader, a union admin over them."""

    @extend_schema(responses=s.TeamOutput(many=True))
    def get(self, request, user_id: int):
        found = selectors.teams_of_member(request.user, user_id)
        return Response(s.TeamOutput(found, many=True).data)


# Alliances -------------------------------------------------------------------------------------


class AllianceListApi(ListAPIView):
    """Every alliance, each with its room's id (the id is no secret; reading the room is for the
    member studios' people only)."""

    serializer_class = s.AllianceOutput

    def get_queryset(self):
        return selectors.alliances_visible_to(self.request.user)

    @extend_schema(request=s.AllianceInput, responses={201: s.AllianceOutput})
    def post(self, request):
        data = _valid(s.AllianceInput, request)
        alliance = alliance_services.alliance_create(
            actor=request.user,
            name=data["name"],
            charter=data.get("charter", ""),
            coordinator=get_object_or_404(Studio, pk=data["coordinator_id"]),
        )
        return Response(
            s.AllianceOutput(selectors.alliance_for_viewer(request.user, alliance.pk)).data, status=201
        )


class AllianceDetailApi(APIView):
    @extend_schema(responses=s.AllianceOutput)
    def get(self, request, pk: int):
        return Response(s.AllianceOutput(selectors.alliance_for_viewer(request.user, pk)).data)

    @extend_schema(request=s.AllianceUpdateInput, responses=s.AllianceOutput)
    def patch(self, request, pk: int):
        alliance = selectors.alliance_for_viewer(request.user, pk)
        alliance_services.alliance_update(
            actor=request.user, alliance=alliance, **_valid(s.AllianceUpdateInput, request)
        )
        return Response(s.AllianceOutput(selectors.alliance_for_viewer(request.user, pk)).data)


class AllianceStudiosApi(APIView):
    @extend_schema(responses=s.AllianceMembershipOutput(many=True))
    def get(self, request, pk: int):
        alliance = selectors.alliance_for_viewer(request.user, pk)
        return Response(s.AllianceMembershipOutput(selectors.alliance_memberships(alliance), many=True).data)


class AllianceInviteApi(APIView):
    """The coordinator invites a studio (approving its request if it had asked)."""

    @extend_schema(request=s.StudioIdInput, responses={201: s.AllianceMembershipOutput})
    def post(self, request, pk: int):
        alliance = selectors.alliance_for_viewer(request.user, pk)
        studio = get_object_or_404(Studio, pk=_valid(s.StudioIdInput, request)["studio_id"])
        membership = alliance_services.alliance_invite_studio(
            actor=request.user, alliance=alliance, studio=studio
        )
        return Response(s.AllianceMembershipOutput(membership).data, status=201)


class AllianceJoinApi(APIView):
    """A studio's leader asks to join (accepting an invitation if there was one)."""

    @extend_schema(request=s.StudioIdInput, responses={201: s.AllianceMembershipOutput})
    def post(self, request, pk: int):
        alliance = selectors.alliance_for_viewer(request.user, pk)
        studio = get_object_or_404(Studio, pk=_valid(s.StudioIdInput, request)["studio_id"])
        membership = alliance_services.alliance_request_join(
            actor=request.user, alliance=alliance, studio=studio
        )
        return Response(s.AllianceMembershipOutput(membership).data, status=201)


class AllianceMembershipAnswerApi(APIView):
    @extend_schema(request=s.InvitationAnswerInput, responses={204: None})
    def post(self, request, pk: int):
        accept = _valid(s.InvitationAnswerInput, request)["accept"]
        alliance_services.alliance_membership_answer(actor=request.user, membership_id=pk, accept=accept)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AllianceStudioApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk: int, studio_id: int):
        alliance = selectors.alliance_for_viewer(request.user, pk)
        studio = get_object_or_404(Studio, pk=studio_id)
        alliance_services.alliance_studio_remove(actor=request.user, alliance=alliance, studio=studio)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Mentor pairs ----------------------------------------------------------------------------------


class MentorPairListApi(ListAPIView):
    serializer_class = s.MentorPairOutput

    def get_queryset(self):
        return selectors.mentor_pairs_visible_to(self.request.user).order_by("studio", "-started_on", "pk")

    @extend_schema(request=s.MentorPairInput, responses={201: s.MentorPairOutput})
    def post(self, request):
        data = _valid(s.MentorPairInput, request)
        pair = mentors.mentor_pair_create(
            actor=request.user,
            studio=get_object_or_404(Studio, pk=data["studio_id"]),
            mentor=_user(data["mentor_id"]),
            apprentice=_user(data["apprentice_id"]),
            skill=data["skill"],
            started_on=data["started_on"],
            goals=data.get("goals", ""),
        )
        return Response(s.MentorPairOutput(pair).data, status=201)


class MentorPairDetailApi(APIView):
    @extend_schema(responses=s.MentorPairOutput)
    def get(self, request, pk: int):
        return Response(s.MentorPairOutput(selectors.mentor_pair_for_viewer(request.user, pk)).data)

    @extend_schema(request=s.MentorPairUpdateInput, responses=s.MentorPairOutput)
    def patch(self, request, pk: int):
        pair = selectors.mentor_pair_for_viewer(request.user, pk)
        pair = mentors.mentor_pair_update(
            actor=request.user, pair=pair, **_valid(s.MentorPairUpdateInput, request)
        )
        return Response(s.MentorPairOutput(pair).data)


class MentorNotesApi(APIView):
    @extend_schema(responses=s.MentorNoteOutput(many=True))
    def get(self, request, pk: int):
        pair = selectors.mentor_pair_for_viewer(request.user, pk)
        return Response(s.MentorNoteOutput(pair.notes.select_related("author"), many=True).data)

    @extend_schema(request=s.NoteInput, responses={201: s.MentorNoteOutput})
    def post(self, request, pk: int):
        pair = selectors.mentor_pair_for_viewer(request.user, pk)
        note = mentors.mentor_note_add(
            actor=request.user, pair=pair, text=_valid(s.NoteInput, request)["text"]
        )
        return Response(s.MentorNoteOutput(note).data, status=201)


# Rooms -----------------------------------------------------------------------------------------


class RoomListApi(ListAPIView):
    """The caller's rooms with their unread counts."""

    serializer_class = s.RoomOutput

    def get_queryset(self):
        return selectors.rooms_of(self.request.user)


class RoomMessagesApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("before", int, required=False, description="messages with seq below this"),
            OpenApiParameter("after", int, required=False, description="messages with seq above this"),
            OpenApiParameter("limit", int, required=False, description="at most 200; 50 by default"),
        ],
        responses=s.HistoryOutput,
    )
    def get(self, request, pk: int):
        """History, oldest first within the page (keyset on the message number)."""
        room = selectors.room_for_member(request.user, pk)
        params = request.query_params
        messages, more = selectors.room_history(
            room, before=params.get("before"), after=params.get("after"), limit=params.get("limit")
        )
        return Response({"messages": [message_payload(m) for m in messages], "more": more})

    @extend_schema(request=s.MessageInput, responses={201: s.MessageOutput, 200: s.MessageOutput})
    def post(self, request, pk: int):
        """Send over HTTP (scripts; the page uses the socket): the same rules and idempotency."""
        room = selectors.room_for_member(request.user, pk)
        data = _valid(s.MessageInput, request)
        message, created = rooms.message_send(
            actor=request.user,
            room_id=room.pk,
            client_id=data["client_id"],
            body=data["body"],
            reply_to=data.get("reply_to"),
            attachment_ids=data.get("attachments", []),
        )
        return Response(message_payload(message), status=201 if created else 200)


class RoomReadApi(APIView):
    @extend_schema(request=s.ReadInput, responses={204: None})
    def post(self, request, pk: int):
        room = selectors.room_for_member(request.user, pk)
        rooms.read_mark(actor=request.user, room_id=room.pk, seq=_valid(s.ReadInput, request)["seq"])
        return Response(status=status.HTTP_204_NO_CONTENT)


_SEARCH = [
    OpenApiParameter(
        "q", str, required=False, description="a substring of the text; empty or absent finds nothing"
    )
]


class RoomSearchApi(APIView):
    @extend_schema(parameters=_SEARCH, responses=s.MessageOutput(many=True))
    def get(self, request, pk: int):
        room = selectors.room_for_member(request.user, pk)
        found = selectors.message_search(request.user, request.query_params.get("q", ""), room=room)
        return Response([message_payload(m) for m in found])


class MessageSearchApi(APIView):
    """Search every room of the caller."""

    @extend_schema(parameters=_SEARCH, responses=s.MessageOutput(many=True))
    def get(self, request):
        found = selectors.message_search(request.user, request.query_params.get("q", ""))
        return Response([message_payload(m) for m in found])


class RoomAttachmentUploadApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.ChatAttachmentInput}, responses={201: s.ChatAttachmentOutput}
    )
    def post(self, request, pk: int):
        room = selectors.room_for_member(request.user, pk)
        upload = _valid(s.ChatAttachmentInput, request)["file"]
        attachment = rooms.attachment_upload(actor=request.user, room=room, upload=upload)
        return Response(s.ChatAttachmentOutput(attachment).data, status=201)


class RoomAttachmentDownloadApi(AnonymousBrowserToLoginMixin, APIView):
    """The only way to read a chat file: room membership is checked on every download."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk: int, attachment_id: int):
        attachment = selectors.attachment_for_download(request.user, pk, attachment_id)
        return private_file_response(attachment.file, filename=attachment.name)
