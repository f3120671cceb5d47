"""Virtual teams, studio alliances and mentor-apprentice pairs, and the chat pane of their rooms
(namespace `teams`). The chat itself is live over the page's websocket (live/room.js)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances import permissions, selectors
from alliances.models import Alliance, AllianceMembership, MentorPair, Team
from alliances.services import alliances as alliance_services
from alliances.services import mentors, teams
from alliances.services.rooms import room_for_alliance, room_for_team

from ..chat import room_context
from ..team_forms import (
    AllianceCreateForm,
    LeadForm,
    MentorPairForm,
    NoteForm,
    PersonForm,
    StudioChoiceForm,
    TeamCreateForm,
    TeamEditForm,
)
from .forms_flow import form_for, is_refused_form, object_form, perform, submit

app_name = "teams"


# Teams -----------------------------------------------------------------------------------------


@login_required
def team_list(request):
    return render(
        request,
        "frontend/teams/list.html",
        {
            "my_teams": selectors.teams_of(request.user).order_by("name"),
            "invitations": selectors.invitations_for(request.user),
            "rooms": selectors.rooms_of(request.user),
            "create_form": form_for(request, TeamCreateForm),
        },
    )


@login_required
@require_POST
def team_create(request):
    def create(data: dict) -> str:
        team = teams.team_create(actor=request.user, name=data["name"], purpose=data["purpose"])
        return _("The team %(name)s is formed.") % {"name": team.name}

    return submit(request, TeamCreateForm(request.POST), create, then=reverse("teams:list"))


@login_required
def team_detail(request, pk: int):
    team = selectors.team_for_viewer(request.user, pk)
    is_member = permissions.is_team_member(request.user, team)
    members = list(selectors.team_members(team))
    can_manage = permissions.can_manage_team(request.user, team)
    context = {
        "team": team,
        "members": members,
        "is_member": is_member,
        "can_manage": can_manage,
        "pending": selectors.open_invitations_of_team(team),
        # A refused form comes back bound, as typed (forms_flow.form_for), its section open.
        "edit_form": form_for(
            request, TeamEditForm, initial={"name": team.name, "purpose": team.purpose, "status": team.status}
        ),
        "person_form": form_for(request, PersonForm, posted_to=reverse("teams:invite", args=[team.pk])),
        "transfer_form": _lead_form(request, team, members) if can_manage else None,
        "manage_open": is_refused_form(request),
    }
    if is_member:
        context.update(room_context(request, room_for_team(team)))
    return render(request, "frontend/teams/detail.html", context)


def _lead_form(request, team: Team, members: list) -> LeadForm:
    """The hand-over form, refused or empty, offering the team's other members."""
    form = form_for(request, LeadForm, auto_id="transfer-%s")
    form.fields["user"].widget.choices = [  # type: ignore[attr-defined]
        (membership.user.username, str(membership.user))
        for membership in members
        if membership.user_id != team.lead_id
    ]
    return form


def _team_url(team: Team) -> str:
    return reverse("teams:detail", args=[team.pk])


def team_form(form_class):
    return object_form(form_class, fetch=selectors.team_for_viewer, then=_team_url)


@team_form(TeamEditForm)
def team_edit(request, team: Team, data: dict) -> str:
    teams.team_update(actor=request.user, team=team, **data)
    return _("The team has been updated.")


@team_form(PersonForm)
def team_invite(request, team: Team, data: dict) -> str:
    teams.team_invite(actor=request.user, team=team, user=data["user"])
    return _("%(name)s is invited.") % {"name": data["user"]}


@team_form(LeadForm)
def team_transfer(request, team: Team, data: dict) -> str:
    teams.team_transfer_lead(actor=request.user, team=team, user=data["user"])
    return _("%(name)s now leads the team.") % {"name": data["user"]}


@login_required
@require_POST
def team_member_remove(request, pk: int, user_id: int):
    team = selectors.team_for_viewer(request.user, pk)
    user = get_object_or_404(get_user_model(), pk=user_id)

    def remove() -> str:
        if user == request.user:
            teams.team_leave(actor=request.user, team=team)
            return _("You have left the team.")
        teams.team_member_remove(actor=request.user, team=team, user=user)
        return _("%(name)s is no longer in the team.") % {"name": user}

    return perform(request, remove, then=reverse("teams:list") if user == request.user else _team_url(team))


@login_required
@require_POST
def invitation_answer(request, pk: int, answer: str):
    def respond() -> str:
        if answer == "accept":
            teams.invitation_accept(actor=request.user, invitation_id=pk)
            return _("Welcome to the team.")
        teams.invitation_decline(actor=request.user, invitation_id=pk)
        return _("The invitation is declined.")

    return perform(request, respond, then=reverse("teams:list"))


@login_required
def room_page(request, pk: int):
    """Any room the user belongs to; a team's or an alliance's opens on its own page."""
    room = selectors.room_for_member(request.user, pk)
    if room.team_id:
        return redirect("teams:detail", room.team_id)
    if room.alliance_id:
        return redirect("teams:alliance", room.alliance_id)
    return render(request, "frontend/teams/room.html", room_context(request, room))


# Alliances -------------------------------------------------------------------------------------


@login_required
def alliance_list(request):
    studios = selectors.studios_coordinated_by(request.user)
    return render(
        request,
        "frontend/teams/alliances.html",
        {
            "alliances": selectors.alliances_visible_to(request.user),
            "create_form": form_for(request, AllianceCreateForm, studios=studios)
            if studios.exists()
            else None,
        },
    )


@login_required
@require_POST
def alliance_create(request):
    studios = selectors.studios_coordinated_by(request.user)

    def create(data: dict) -> str:
        alliance_services.alliance_create(
            actor=request.user, name=data["name"], charter=data["charter"], coordinator=data["coordinator"]
        )
        return _("The alliance is founded.")

    return submit(
        request, AllianceCreateForm(request.POST, studios=studios), create, then=reverse("teams:alliances")
    )


@login_required
def alliance_detail(request, pk: int):
    alliance = selectors.alliance_for_viewer(request.user, pk)
    room = room_for_alliance(alliance)
    in_room = permissions.is_room_member(request.user, room)
    my_studios = selectors.studios_coordinated_by(request.user)
    # What the viewer may do with each membership, asked of the rules the services enforce.
    rows = [
        {
            "membership": membership,
            "can_answer": permissions.can_answer_alliance_membership(request.user, membership),
            "can_end": membership.status == AllianceMembership.Status.ACTIVE
            and permissions.can_end_alliance_membership(request.user, alliance, membership.studio),
        }
        for membership in selectors.alliance_memberships(alliance)
    ]
    context = {
        "alliance": alliance,
        "memberships": rows,
        "can_manage": permissions.can_manage_alliance(request.user, alliance),
        "my_studios": my_studios,
        "invite_form": form_for(
            request, StudioChoiceForm, posted_to=reverse("teams:alliance_invite", args=[alliance.pk])
        ),
        **_studio_forms(request, alliance, my_studios),
        "in_room": in_room,
    }
    if in_room:
        context.update(room_context(request, room))
    return render(request, "frontend/teams/alliance.html", context)


def _studio_forms(request, alliance: Alliance, my_studios) -> dict:
    """Asking to join (one of the viewer's studios) and removing a studio (a button per member
    studio, its errors under the list), refused or empty."""
    join_form = form_for(
        request,
        StudioChoiceForm,
        auto_id="join-%s",
        posted_to=reverse("teams:alliance_join", args=[alliance.pk]),
    )
    join_form.fields["studio"].queryset = my_studios  # type: ignore[attr-defined]
    join_form.fields["studio"].empty_label = None  # type: ignore[attr-defined]
    remove_form = form_for(
        request, StudioChoiceForm, posted_to=reverse("teams:alliance_remove", args=[alliance.pk])
    )
    return {"join_form": join_form, "remove_form": remove_form}


def _alliance_url(alliance: Alliance) -> str:
    return reverse("teams:alliance", args=[alliance.pk])


def alliance_form(form_class):
    return object_form(form_class, fetch=selectors.alliance_for_viewer, then=_alliance_url)


@alliance_form(StudioChoiceForm)
def alliance_invite(request, alliance: Alliance, data: dict) -> str:
    alliance_services.alliance_invite_studio(actor=request.user, alliance=alliance, studio=data["studio"])
    return _("%(studio)s is invited.") % {"studio": data["studio"]}


@alliance_form(StudioChoiceForm)
def alliance_join(request, alliance: Alliance, data: dict) -> str:
    alliance_services.alliance_request_join(actor=request.user, alliance=alliance, studio=data["studio"])
    return _("The request is sent to the coordinator.")


@login_required
@require_POST
def alliance_answer(request, pk: int, membership_id: int, answer: str):
    alliance = selectors.alliance_for_viewer(request.user, pk)

    def respond() -> str:
        alliance_services.alliance_membership_answer(
            actor=request.user, membership_id=membership_id, accept=answer == "accept"
        )
        return _("Done.")

    return perform(request, respond, then=_alliance_url(alliance))


@alliance_form(StudioChoiceForm)
def alliance_remove(request, alliance: Alliance, data: dict) -> str:
    alliance_services.alliance_studio_remove(actor=request.user, alliance=alliance, studio=data["studio"])
    return _("%(studio)s is no longer in the alliance.") % {"studio": data["studio"]}


# Mentor-apprentice pairs -----------------------------------------------------------------------


@login_required
def mentor_list(request):
    studios = selectors.studios_coordinated_by(request.user)
    return render(
        request,
        "frontend/teams/mentors.html",
        {
            "pairs": selectors.mentor_pairs_visible_to(request.user),
            "create_form": form_for(request, MentorPairForm, studios=studios) if studios.exists() else None,
        },
    )


@login_required
@require_POST
def mentor_create(request):
    studios = selectors.studios_coordinated_by(request.user)

    def create(data: dict) -> str:
        mentors.mentor_pair_create(actor=request.user, **data)
        return _("The mentor and apprentice are paired.")

    return submit(
        request, MentorPairForm(request.POST, studios=studios), create, then=reverse("teams:mentors")
    )


@login_required
def mentor_detail(request, pk: int):
    pair = selectors.mentor_pair_for_viewer(request.user, pk)
    return render(
        request,
        "frontend/teams/mentor.html",
        {
            "pair": pair,
            "notes": pair.notes.select_related("author"),
            "can_note": permissions.can_add_mentor_note(request.user, pair),
            "note_form": form_for(request, NoteForm),
        },
    )


def _pair_url(pair: MentorPair) -> str:
    return reverse("teams:mentor", args=[pair.pk])


@object_form(NoteForm, fetch=selectors.mentor_pair_for_viewer, then=_pair_url)
def mentor_note(request, pair: MentorPair, data: dict) -> str:
    mentors.mentor_note_add(actor=request.user, pair=pair, text=data["text"])
    return _("The note is added.")


urlpatterns = [
    path("teams/", team_list, name="list"),
    path("teams/new/", team_create, name="create"),
    path("teams/invitations/", team_list, name="invitations"),
    path("teams/invitations/<int:pk>/<str:answer>/", invitation_answer, name="invitation_answer"),
    path("teams/<int:pk>/", team_detail, name="detail"),
    path("teams/<int:pk>/edit/", team_edit, name="edit"),
    path("teams/<int:pk>/invite/", team_invite, name="invite"),
    path("teams/<int:pk>/transfer/", team_transfer, name="transfer"),
    path("teams/<int:pk>/members/<int:user_id>/remove/", team_member_remove, name="member_remove"),
    path("rooms/<int:pk>/", room_page, name="room"),
    path("alliances/", alliance_list, name="alliances"),
    path("alliances/new/", alliance_create, name="alliance_create"),
    path("alliances/<int:pk>/", alliance_detail, name="alliance"),
    path("alliances/<int:pk>/invite/", alliance_invite, name="alliance_invite"),
    path("alliances/<int:pk>/join/", alliance_join, name="alliance_join"),
    path("alliances/<int:pk>/remove/", alliance_remove, name="alliance_remove"),
    path(
        "alliances/<int:pk>/memberships/<int:membership_id>/<str:answer>/",
        alliance_answer,
        name="alliance_answer",
    ),
    path("mentors/", mentor_list, name="mentors"),
    path("mentors/new/", mentor_create, name="mentor_create"),
    path("mentors/<int:pk>/", mentor_detail, name="mentor"),
    path("mentors/<int:pk>/notes/", mentor_note, name="mentor_note"),
]
