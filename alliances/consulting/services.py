"""Every write of consultations: ask, take, assign (the chair), answer and close, withdraw, rate,
publish as Q&A, and the periodic escalation to the chair. Each checks its permission here
(permissions.py), whatever the front door, and records an audit entry; notifications are sent
through the one `notify` (created in the transaction, published after commit).

The private thread is a room of the alliances chat (`room_create`), opened when an expert takes
or is assigned the question, with the asker and that expert as its only members; the room itself
enforces that membership for every message, history page and file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.markdown import render_markdown
from alliances.models import FieldOfWork
from alliances.services.rooms import room_create, room_member_add, room_member_remove
from platform_core.accounts.committees import committee_experts
from platform_core.accounts.models import Committee
from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language
from platform_core.notifications.services import notify, verbatim
from platform_core.orgs.models import Studio
from platform_core.text import clean_line, clean_plain_text, clean_tags
from platform_core.uploads import CONSULTATION_FILE

from . import events, permissions
from .models import WAITING, Consultation, ConsultationFile, QAEntry
from .search import entry_grams

MAX_BODY_CHARS = 10_000
MAX_ANSWER_CHARS = 20_000
MAX_COMMENT_CHARS = 1_000
MAX_FILES = 5


def consultation_url(consultation: Consultation) -> str:
    return reverse("consulting:detail", args=[consultation.pk])


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked(consultation: Consultation) -> Consultation:
    # Lock the row: two experts taking one question at once must not both get it.
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("committee", "asker", "studio", "expert", "room")
        .get(pk=consultation.pk)
    )


def _fields(names: Iterable[str] | str) -> list[FieldOfWork]:
    labels = clean_tags(names if isinstance(names, str) else list(names), max_items=8)
    return [FieldOfWork.objects.get_or_create(name=name)[0] for name in labels]


def fitting_experts(consultation: Consultation, field_names: list[str]) -> list:
    """Whom to tell of a new question: the committee's experts whose fields fit it, or all of
    them when none fits; never one tied to the asker."""
    party = permissions.asker_party(consultation)
    experts = [
        expert
        for expert in committee_experts(consultation.committee)
        if not permissions.is_conflicted(expert, consultation, party)
    ]
    wanted = set(field_names)
    fitting = [
        expert
        for expert in experts
        if wanted & set(getattr(getattr(expert, "expert_profile", None), "fields", None) or [])
    ]
    return fitting or experts


def consultation_ask(
    *,
    actor,
    committee: Committee,
    title: str,
    body: str,
    fields: Iterable[str] | str = (),
    studio: Studio | None = None,
    files: Iterable = (),
    ip_address: str | None = None,
) -> Consultation:
    """A member asks for themselves, or a studio's leader for the studio."""
    _require(permissions.can_ask(actor), _("Sign in to ask the expert committees."))
    if studio is not None and (studio.leader_id != actor.pk or studio.status != Studio.Status.ACTIVE):
        raise ValidationError({"studio": _("Only the leader of an active studio asks on its behalf.")})
    title = clean_line(title or "", max_length=200)
    if not title:
        raise ValidationError({"title": _("A question needs a title.")})
    if not isinstance(body, str) or len(body) > MAX_BODY_CHARS:
        raise ValidationError(
            {"body": _("A question may hold at most %(count)d characters.") % {"count": MAX_BODY_CHARS}}
        )
    body = clean_plain_text(body)
    if not body:
        raise ValidationError({"body": _("Say what you would like to ask.")})
    uploads = [upload for upload in files if upload]
    if len(uploads) > MAX_FILES:
        raise ValidationError({"file": _("At most %(count)d files per question.") % {"count": MAX_FILES}})
    names = [CONSULTATION_FILE.admit(upload) for upload in uploads]
    saved: list[ConsultationFile] = []
    try:
        with transaction.atomic():
            consultation = Consultation.objects.create(
                committee=committee,
                asker=actor,
                studio=studio,
                title=title,
                body=body,
                body_html=render_markdown(body),
            )
            field_rows = _fields(fields)
            consultation.fields.set(field_rows)
            for upload, name in zip(uploads, names, strict=True):
                item = ConsultationFile(consultation=consultation, name=name, size=upload.size)
                item.file.save(name, upload, save=False)
                saved.append(item)
                item.save()
            audit_record(actor=actor, action=events.ASKED, target=consultation, ip_address=ip_address)
            notify(
                fitting_experts(consultation, [row.name for row in field_rows]),
                kind=events.ASKED,
                title=lambda: (
                    _("A question for %(committee)s: “%(title)s”")
                    % {"committee": committee.name, "title": title}
                ),
                url=consultation_url(consultation),
            )
    except Exception:
        for item in saved:
            item.file.delete(save=False)
        raise
    return consultation


def _open_thread(consultation: Consultation, expert) -> None:
    """Open the private room, or hand it to a new expert (the former one leaves it at once)."""
    if consultation.room is None:
        with platform_language():
            title = _("Consultation: %(title)s") % {"title": consultation.title}
        consultation.room = room_create(title=title, members=[consultation.asker, expert])
        return
    if consultation.expert_id and consultation.expert_id != expert.pk:
        room_member_remove(room=consultation.room, user=consultation.expert)
    room_member_add(room=consultation.room, user=expert)


def consultation_take(*, actor, consultation: Consultation, ip_address: str | None = None) -> Consultation:
    with transaction.atomic():
        consultation = _locked(consultation)
        if not consultation.waiting:
            raise ValidationError(_("Another expert has already taken this question."))
        _require(
            permissions.may_take(actor, consultation),
            _("Only an expert of the committee with no tie to the asker may take this question."),
        )
        _open_thread(consultation, actor)
        consultation.expert = actor
        consultation.status = Consultation.Status.TAKEN
        consultation.taken_at = timezone.now()
        consultation.escalated_at = None
        consultation.save(update_fields=["expert", "status", "taken_at", "escalated_at", "room"])
        audit_record(actor=actor, action=events.TAKEN, target=consultation, ip_address=ip_address)
        notify(
            [consultation.asker],
            kind=events.TAKEN,
            title=lambda: (
                _("%(expert)s has taken your question “%(title)s”")
                % {"expert": actor, "title": consultation.title}
            ),
            url=consultation_url(consultation),
        )
    return consultation


def assign_choices(consultation: Consultation) -> list:
    """The experts the chair may assign: seated on the committee, not tied to the asker (the same
    rule as the pool), not the one who has it now."""
    party = permissions.asker_party(consultation)
    return [
        expert
        for expert in committee_experts(consultation.committee)
        if expert.pk != consultation.expert_id and not permissions.is_conflicted(expert, consultation, party)
    ]


def consultation_assign(
    *, actor, consultation: Consultation, expert, ip_address: str | None = None
) -> Consultation:
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(
            permissions.can_assign(actor, consultation),
            _("Only the committee's chair assigns a question nobody has taken."),
        )
        if expert is None or expert.pk not in {choice.pk for choice in assign_choices(consultation)}:
            raise ValidationError(
                {"expert": _("Choose an expert of the committee with no tie to the asker.")}
            )
        _open_thread(consultation, expert)
        consultation.expert = expert
        consultation.status = Consultation.Status.TAKEN
        consultation.taken_at = timezone.now()
        consultation.escalated_at = None
        consultation.save(update_fields=["expert", "status", "taken_at", "escalated_at", "room"])
        audit_record(
            actor=actor,
            action=events.ASSIGNED,
            target=consultation,
            ip_address=ip_address,
            data={"expert": expert.pk},
        )
        notify(
            [expert, consultation.asker],
            kind=events.ASSIGNED,
            title=lambda: (
                _("“%(title)s” is assigned to %(expert)s") % {"title": consultation.title, "expert": expert}
            ),
            url=consultation_url(consultation),
        )
    return consultation


def consultation_answer(
    *, actor, consultation: Consultation, answer: str, ip_address: str | None = None
) -> Consultation:
    """The expert gives the final answer, which closes the consultation."""
    if not isinstance(answer, str) or len(answer) > MAX_ANSWER_CHARS:
        raise ValidationError(
            {"answer": _("An answer may hold at most %(count)d characters.") % {"count": MAX_ANSWER_CHARS}}
        )
    answer = clean_plain_text(answer)
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(
            permissions.can_answer(actor, consultation), _("Only the expert who has the question answers it.")
        )
        consultation.answer = answer
        consultation.answer_html = render_markdown(answer)
        consultation.status = Consultation.Status.CLOSED
        consultation.answered_at = timezone.now()
        consultation.save(update_fields=["answer", "answer_html", "status", "answered_at"])
        audit_record(actor=actor, action=events.ANSWERED, target=consultation, ip_address=ip_address)
        notify(
            [consultation.asker],
            kind=events.ANSWERED,
            title=lambda: _("Your question “%(title)s” is answered") % {"title": consultation.title},
            url=consultation_url(consultation),
        )
    return consultation


def consultation_withdraw(
    *, actor, consultation: Consultation, ip_address: str | None = None
) -> Consultation:
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(
            permissions.can_withdraw(actor, consultation), _("Only the asker closes an unanswered question.")
        )
        consultation.status = Consultation.Status.WITHDRAWN
        consultation.save(update_fields=["status"])
        audit_record(actor=actor, action=events.WITHDRAWN, target=consultation, ip_address=ip_address)
    return consultation


def consultation_rate(
    *, actor, consultation: Consultation, rating, comment: str = "", ip_address: str | None = None
) -> Consultation:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate the answer from 1 to 5.")})
    comment = clean_plain_text(comment or "", max_length=MAX_COMMENT_CHARS)
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(permissions.can_rate(actor, consultation), _("Only the asker rates an answer, once."))
        consultation.rating = rating
        consultation.rating_comment = comment
        consultation.rated_at = timezone.now()
        consultation.save(update_fields=["rating", "rating_comment", "rated_at"])
        audit_record(
            actor=actor,
            action=events.RATED,
            target=consultation,
            ip_address=ip_address,
            data={"rating": rating},
        )
        notify(
            [consultation.expert],
            kind=events.RATED,
            title=lambda: (
                _("Your answer to “%(title)s” was rated %(rating)d of 5")
                % {"title": consultation.title, "rating": rating}
            ),
            body=verbatim(comment) if comment else None,
            url=consultation_url(consultation),
        )
    return consultation


def consultation_publish(
    *, actor, consultation: Consultation, hide_name: bool = False, ip_address: str | None = None
) -> QAEntry:
    """With the asker's consent, the question and its answer become a public Q&A entry (the asker's
    name left out on request). The thread and the files stay private."""
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(
            permissions.can_publish(actor, consultation),
            _("Only the asker publishes an answered question, once."),
        )
        field_rows = list(consultation.fields.all())
        entry = QAEntry(
            consultation=consultation,
            committee=consultation.committee,
            title=consultation.title,
            question_html=consultation.body_html,
            answer_html=consultation.answer_html,
            question_text=consultation.body,
            answer_text=consultation.answer,
            asker_name="" if hide_name else str(consultation.asker),
            expert_name=str(consultation.expert) if consultation.expert else "",
        )
        entry.search_grams = entry_grams(entry, [row.name for row in field_rows])
        entry.save()
        entry.fields.set(field_rows)
        audit_record(
            actor=actor,
            action=events.PUBLISHED,
            target=consultation,
            ip_address=ip_address,
            data={"hide_name": hide_name},
        )
        notify(
            [consultation.expert],
            kind=events.PUBLISHED,
            title=lambda: (
                _("Your answer to “%(title)s” is published as public Q&A") % {"title": consultation.title}
            ),
            url=reverse("consulting:qa_detail", args=[entry.pk]),
        )
    return entry


def consultations_escalate(now: datetime.datetime) -> int:
    """The periodic step: each question untaken past its committee's time (or taken and left
    unanswered as long) goes to the committee's chair, once. Safe to run twice: a question is
    sent once (its escalated_at is set under the row lock)."""
    due = Consultation.objects.filter(escalated_at__isnull=True).filter(
        Q(status=Consultation.Status.OPEN) | Q(status=Consultation.Status.TAKEN, answered_at__isnull=True)
    )
    count = 0
    for consultation in due.select_related("committee"):
        since = (
            consultation.taken_at
            if consultation.status == Consultation.Status.TAKEN
            else consultation.created_at
        )
        if since is None or now - since < datetime.timedelta(
            hours=consultation.committee.escalate_after_hours
        ):
            continue
        with transaction.atomic():
            locked = _locked(consultation)
            if locked.escalated_at is not None or locked.status not in (*WAITING, Consultation.Status.TAKEN):
                continue
            fields = ["escalated_at"]
            locked.escalated_at = now
            if locked.status == Consultation.Status.OPEN:
                locked.status = Consultation.Status.ESCALATED
                fields.append("status")
            locked.save(update_fields=fields)
            audit_record(actor=None, action=events.ESCALATED, target=locked)
            chair = locked.committee.chair
            if chair is not None:
                notify(
                    [chair],
                    kind=events.ESCALATED,
                    # Rendered before notify returns: the loop's current row is the one meant.
                    title=lambda: (
                        _("“%(title)s” needs an expert: please assign it") % {"title": locked.title}  # noqa: B023
                    ),
                    url=consultation_url(locked),
                )
            count += 1
    return count
