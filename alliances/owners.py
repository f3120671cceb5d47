"""An owner is a studio or a team: who bids on a challenge, who owns an achievement. The one way a
front door names one (a form value "studio:3" / "team:5", an API body's studio_id / team_id) and
reads it back. Whether the user may act for that owner is the services' question, not this one's.
"""

from __future__ import annotations

from django.http import Http404

from platform_core.conflicts import Party, studio_party
from platform_core.orgs.models import Studio

from .models import Team
from .permissions import team_party


def owner_key(*, studio: Studio | None = None, team: Team | None = None, studio_id=None, team_id=None) -> str:
    """The form value naming a studio or a team (given as an object or by id)."""
    studio_id = studio.pk if studio is not None else studio_id
    team_id = team.pk if team is not None else team_id
    if studio_id:
        return f"studio:{studio_id}"
    assert team_id, "an owner is a studio or a team"
    return f"team:{team_id}"


def owner_from_key(value: str | None) -> tuple[Studio | None, Team | None]:
    """(studio, None) or (None, team) for a form value; (None, None) when it is malformed or names
    nothing (the service then refuses: "a studio or a team")."""
    kind, _sep, raw = (value or "").partition(":")
    if not raw.isdigit():
        return None, None
    if kind == "studio":
        return Studio.objects.filter(pk=int(raw)).first(), None
    if kind == "team":
        return None, Team.objects.filter(pk=int(raw)).first()
    return None, None


def owner_from_ids(studio_id: int | None, team_id: int | None) -> tuple[Studio | None, Team | None]:
    """The API's studio_id / team_id: an id that names nothing is a 404 (the generic one)."""
    studio = Studio.objects.filter(pk=studio_id).first() if studio_id else None
    team = Team.objects.filter(pk=team_id).first() if team_id else None
    if (studio_id and studio is None) or (team_id and team is None):
        raise Http404
    return studio, team


def owner_party(*, studio: Studio | None, team: Team | None) -> Party:
    """A studio or a team as a party to the conflict-of-interest rule (platform_core.conflicts):
    a bid's bidder, an achievement's owner."""
    if studio is not None:
        return studio_party(studio)
    assert team is not None, "an owner is a studio or a team"
    return team_party(team)


def owner_choices(user) -> list[tuple[str, str]]:
    """The owners `user` may act for in a form: the active studios they lead, the open teams they
    lead."""
    if not user.is_authenticated:
        return []
    studios = Studio.objects.filter(leader=user, status=Studio.Status.ACTIVE)
    teams = Team.objects.filter(lead=user).exclude(status=Team.Status.ARCHIVED)
    return [(owner_key(studio=studio), str(studio)) for studio in studios] + [
        (owner_key(team=team), str(team)) for team in teams
    ]
