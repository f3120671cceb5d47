"""Conflict of interest (回避): the one rule that keeps an expert from judging a party they are
tied to. Challenge reviews (a bid's studio or team), showcase rounds (an achievement's owner), and
the naming rounds and consultations to come all ask here.

The rule is stated over units and people only, so the core knows no domain app: each app hands it
the parties it judges (`Party`: the units and the people of one side), built by the app that owns
the party (`studio_party` here for studios, `alliances.permissions.team_party` for teams).

An expert conflicts with a party when they are one of its people (a studio's leader or member, a
team's lead or member), or when they work in one of its units. A tie is a tie whether or not an
account is still active: the rule is about who people are, not who may log in.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from platform_core.orgs.models import Studio, StudioMembership


class Tie(enum.Enum):
    MEMBER = "member"
    SAME_UNIT = "same_unit"


@dataclass(frozen=True)
class Party:
    """One side being judged: its units, its people, and how the poster side names it (the
    expert is never told the name: they may be a competitor, and bids may still be sealed)."""

    unit_ids: frozenset[int]
    person_ids: frozenset[int]
    name: str = ""


@dataclass(frozen=True)
class Conflict:
    party: Party
    tie: Tie

    def reason(self, *, named: bool) -> str:
        """`named=True` for the record the poster side reads; `named=False` for the expert."""
        if not named:
            if self.tie is Tie.MEMBER:
                return _("You are a member of a party to this matter.")
            return _("You work in the same unit as a party to this matter.")
        if self.tie is Tie.MEMBER:
            return _("You are a member of %(name)s.") % {"name": self.party.name}
        return _("You work in the same unit as %(name)s.") % {"name": self.party.name}


def conflicts(expert, parties: Iterable[Party]) -> list[Conflict]:
    """The ties between `expert` and these parties, at most one per party (membership first: it
    says more than a shared unit)."""
    found: list[Conflict] = []
    for party in parties:
        if expert.pk in party.person_ids:
            found.append(Conflict(party, Tie.MEMBER))
        elif expert.unit_id is not None and expert.unit_id in party.unit_ids:
            found.append(Conflict(party, Tie.SAME_UNIT))
    return found


def conflict_reasons(expert, parties: Iterable[Party], *, named: bool) -> list[str]:
    """One line per conflicting party; see `Conflict.reason` for `named`."""
    return [conflict.reason(named=named) for conflict in conflicts(expert, parties)]


def studio_party(studio: Studio) -> Party:
    """A studio as a party: its unit, its leader and its members (one query)."""
    people = set(StudioMembership.objects.filter(studio=studio).values_list("user_id", flat=True))
    people.add(studio.leader_id)
    return Party(unit_ids=frozenset({studio.unit_id}), person_ids=frozenset(people), name=str(studio))
