"""Every read of consultations that depends on who asks, one selector per object for the pages and
the API alike, and the public Q&A reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from alliances.models import FieldOfWork
from platform_core.accounts.committees import committee_experts
from platform_core.accounts.models import Committee, CommitteeSeat

from . import permissions
from .models import Consultation, ConsultationFile, QAEntry
from .search import QA, qa_visible


def _consultations() -> QuerySet:
    return Consultation.objects.select_related(
        "committee", "committee__chair", "asker", "asker__unit", "studio", "expert", "room"
    ).prefetch_related(Prefetch("fields", queryset=FieldOfWork.objects.order_by("name")))


def consultations_of(user) -> QuerySet:
    """The consultations `user` asked, has, chairs or oversees, newest first."""
    return _consultations().filter(permissions.consultations_of_filter(user)).distinct()


def takeable_by(user) -> list[Consultation]:
    """The pool: waiting questions of `user`'s committees they are not tied to (the conflict rule,
    asked once per question with the asker parties fetched together)."""
    candidates = list(_consultations().filter(permissions.pool_candidates_filter(user)).distinct())
    parties = permissions.asker_parties(candidates)
    return [item for item in candidates if not permissions.is_conflicted(user, item, parties[item.pk])]


@dataclass
class ConsultationAccess:
    """What the viewer may do with one consultation (the pages' and the API's flags)."""

    in_thread: bool
    can_take: bool
    can_assign: bool
    can_answer: bool
    can_withdraw: bool
    can_rate: bool
    can_publish: bool


@dataclass
class ConsultationForViewer:
    """One consultation as a viewer gets it: their flags, the chair's choices (empty for anyone
    else) and the files."""

    consultation: Consultation
    access: ConsultationAccess
    assign_choices: list = field(default_factory=list)
    files: list = field(default_factory=list)


def consultation_for(user, pk: int) -> ConsultationForViewer:
    """One consultation for `user`, with their flags. Missing and not theirs to see answer the
    same 404."""
    consultation = _consultations().filter(pk=pk).first()
    if consultation is None:
        raise Http404
    party = permissions.asker_party(consultation)
    takes = permissions.may_take(user, consultation, party)
    if not (takes or permissions.is_party_or_overseer(user, consultation)):
        raise Http404
    from .services import assign_choices

    assigns = permissions.can_assign(user, consultation)
    access = ConsultationAccess(
        in_thread=consultation.room_id is not None
        and user.pk in (consultation.asker_id, consultation.expert_id),
        can_take=takes,
        can_assign=assigns,
        can_answer=permissions.can_answer(user, consultation),
        can_withdraw=permissions.can_withdraw(user, consultation),
        can_rate=permissions.can_rate(user, consultation),
        can_publish=permissions.can_publish(user, consultation),
    )
    return ConsultationForViewer(
        consultation=consultation,
        access=access,
        assign_choices=assign_choices(consultation) if assigns else [],
        files=list(consultation.files.all()),
    )


def file_for_download(user, pk: int, file_pk: int) -> ConsultationFile:
    viewer = consultation_for(user, pk)
    return get_object_or_404(ConsultationFile, consultation=viewer.consultation, pk=file_pk)


# Committees -----------------------------------------------------------------------------------


def committees() -> QuerySet:
    """Every committee with its number of seated experts (who sits is shown on its page)."""
    return Committee.objects.select_related("chair").annotate(expert_count=Count("seats", distinct=True))


def committee_for(user, code: str) -> Committee:
    """A committee with its seated experts (`experts`) and every seat (`seat_list`, disabled
    accounts too, for the managers): the page and the API read it."""
    committee = get_object_or_404(committees(), code=code)
    committee.experts = list(committee_experts(committee))  # type: ignore[attr-defined]
    committee.seat_list = list(  # type: ignore[attr-defined]
        CommitteeSeat.objects.filter(committee=committee).select_related("user", "user__unit").order_by("pk")
    )
    return committee


# Public Q&A -----------------------------------------------------------------------------------


def qa_entries(user, query: str = "") -> QuerySet:
    """Public Q&A, newest first, or by relevance for a query (the Chinese gram search)."""
    rows = qa_visible(user).select_related("committee").prefetch_related("fields")
    if query.strip():
        return QA.search(rows, query).order_by("-relevance", "-published_at", "-pk")
    return rows.order_by("-published_at", "-pk")


def qa_for(user, pk: int) -> QAEntry:
    return get_object_or_404(qa_visible(user).select_related("committee").prefetch_related("fields"), pk=pk)
