"""Who may see and do what with consultations: the one place these rules live. Services,
selectors, pages and the API all ask here.

Reading a consultation (`consultations_of_filter` / `is_party_or_overseer`): its asker; the leader
of the studio it was asked for (today's leader: leadership follows the studio); the expert who took
it or was assigned it; the chair of its committee; union admins and superusers. Besides them, an
expert seated on its committee reads it while it waits for an expert, unless they are tied to the
asker (`may_take`): that is the pool they choose from.

Conflicts of interest are platform_core.conflicts' one rule: the asker's party is their unit and
themselves, with the asking studio's unit, leader and members when asked for a studio
(`asker_party`). A conflicted expert neither sees the question in the pool, nor takes it, nor is
offered to the chair for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from platform_core.accounts.committees import is_seated
from platform_core.conflicts import Party, conflicts
from platform_core.orgs.models import StudioMembership
from platform_core.orgs.permissions import is_union_admin

from .models import WAITING, Consultation


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_overseer(user) -> bool:
    """Union admins and superusers read every consultation (the union runs the committees)."""
    return _signed_in(user) and is_union_admin(user)


def consultations_of_filter(user) -> Q:
    """The consultations `user` is a party to or oversees (not the pool: see `may_take`)."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if is_overseer(user):
        return Q()
    return Q(asker=user) | Q(studio__leader=user) | Q(expert=user) | Q(committee__chair=user)


def is_party_or_overseer(user, consultation: Consultation) -> bool:
    if not _signed_in(user):
        return False
    if consultation.asker_id == user.pk or consultation.expert_id == user.pk:
        return True
    return Consultation.objects.filter(consultations_of_filter(user), pk=consultation.pk).exists()


def pool_candidates_filter(user) -> Q:
    """Waiting questions of the committees `user` sits on: the pool before the conflict rule."""
    if not _signed_in(user):
        return Q(pk__in=[])
    return Q(status__in=WAITING, committee__seats__user=user)


def asker_parties(consultations: Iterable[Consultation]) -> dict[int, Party]:
    """The asker's party of each consultation (one query for all the studios' members)."""
    items = list(consultations)
    studio_ids = {item.studio_id for item in items if item.studio_id}
    members: dict[int, set[int]] = {}
    for studio_id, user_id in StudioMembership.objects.filter(studio_id__in=studio_ids).values_list(
        "studio_id", "user_id"
    ):
        members.setdefault(studio_id, set()).add(user_id)
    parties: dict[int, Party] = {}
    for item in items:
        units: set[int] = {item.asker.unit_id} if item.asker.unit_id is not None else set()
        people = {item.asker_id}
        studio = item.studio
        if studio is not None:
            units.add(studio.unit_id)
            people |= members.get(studio.pk, set()) | {studio.leader_id}
        parties[item.pk] = Party(
            unit_ids=frozenset(units), person_ids=frozenset(people), name=str(item.asker)
        )
    return parties


def asker_party(consultation: Consultation) -> Party:
    return asker_parties([consultation])[consultation.pk]


def is_conflicted(expert, consultation: Consultation, party: Party | None = None) -> bool:
    return bool(conflicts(expert, [party or asker_party(consultation)]))


def may_take(user, consultation: Consultation, party: Party | None = None) -> bool:
    """An expert seated on the committee, not tied to the asker, takes a waiting question."""
    return (
        _signed_in(user)
        and consultation.waiting
        and is_seated(user, consultation.committee)
        and not is_conflicted(user, consultation, party)
    )


def can_see_consultation(user, consultation: Consultation) -> bool:
    return is_party_or_overseer(user, consultation) or may_take(user, consultation)


def can_assign(user, consultation: Consultation) -> bool:
    """The chair (or a union admin) assigns a question nobody has taken, and reassigns one taken
    but left unanswered past the committee's time (it was sent to the chair)."""
    if not _signed_in(user):
        return False
    if not (consultation.committee.chair_id == user.pk or is_overseer(user)):
        return False
    return consultation.waiting or (
        consultation.status == Consultation.Status.TAKEN and consultation.escalated_at is not None
    )


def can_answer(user, consultation: Consultation) -> bool:
    return (
        _signed_in(user)
        and consultation.status == Consultation.Status.TAKEN
        and consultation.expert_id == user.pk
    )


def can_withdraw(user, consultation: Consultation) -> bool:
    """The asker closes a question that has no answer yet."""
    return (
        _signed_in(user)
        and consultation.asker_id == user.pk
        and consultation.status in (*WAITING, Consultation.Status.TAKEN)
    )


def can_rate(user, consultation: Consultation) -> bool:
    return (
        _signed_in(user)
        and consultation.asker_id == user.pk
        and consultation.status == Consultation.Status.CLOSED
        and consultation.rating is None
    )


def can_publish(user, consultation: Consultation) -> bool:
    """Only the asker consents to publication, of an answered question, once."""
    return (
        _signed_in(user)
        and consultation.asker_id == user.pk
        and consultation.status == Consultation.Status.CLOSED
        and not hasattr(consultation, "qa_entry")
    )


def can_ask(user) -> bool:
    return _signed_in(user)
