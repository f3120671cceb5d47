"""师带徒: mentor-apprentice pairs inside a studio, set up by its leader, with progress notes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.orgs.models import Studio
from platform_core.orgs.permissions import is_studio_member

from .. import events, permissions
from ..models import MentorNote, MentorPair
from .common import optional_text, require, required_line


def mentor_pair_create(
    *, actor, studio: Studio, mentor, apprentice, skill: str, started_on: datetime.date, goals: str = ""
) -> MentorPair:
    require(
        permissions.can_manage_mentor_pairs(actor, studio),
        _("Only the studio's leader, or a union admin over it, may pair mentors and apprentices."),
    )
    if mentor.pk == apprentice.pk:
        raise ValidationError({"apprentice": _("A mentor cannot be their own apprentice.")})
    for field, person in (("mentor", mentor), ("apprentice", apprentice)):
        if not is_studio_member(person, studio):
            raise ValidationError({field: _("%(name)s is not in this studio.") % {"name": person}})
    skill = required_line(skill, field="skill", message=_("Name the skill passed on."))
    try:
        with transaction.atomic():
            pair = MentorPair.objects.create(
                studio=studio,
                mentor=mentor,
                apprentice=apprentice,
                skill=skill,
                started_on=started_on,
                goals=optional_text(goals),
            )
            audit_record(
                actor=actor,
                action=events.MENTOR_PAIR_CREATED,
                target=pair,
                data={"mentor_id": mentor.pk, "apprentice_id": apprentice.pk, "skill": skill},
            )
    except IntegrityError:
        raise ValidationError(_("This pair already exists for this skill.")) from None
    return pair


def mentor_pair_update(
    *, actor, pair: MentorPair, goals: str | None = None, ended_on: datetime.date | None = None
) -> MentorPair:
    require(
        permissions.can_manage_mentor_pairs(actor, pair.studio),
        _("Only the studio's leader may change a pair."),
    )
    changed = []
    if goals is not None:
        pair.goals = optional_text(goals)
        changed.append("goals")
    if ended_on is not None:
        if ended_on < pair.started_on:
            raise ValidationError({"ended_on": _("The end cannot come before the start.")})
        pair.ended_on = ended_on
        changed.append("ended_on")
    if changed:
        with transaction.atomic():
            pair.save(update_fields=changed)
            audit_record(
                actor=actor, action=events.MENTOR_PAIR_UPDATED, target=pair, data={"fields": changed}
            )
    return pair


def mentor_note_add(*, actor, pair: MentorPair, text: str) -> MentorNote:
    require(
        permissions.can_add_mentor_note(actor, pair),
        _("Only the mentor, the apprentice or the studio's leader may add progress notes."),
    )
    text = optional_text(text, max_length=4000)
    if not text:
        raise ValidationError({"text": _("A note needs some text.")})
    with transaction.atomic():
        note = MentorNote.objects.create(pair=pair, author=actor, text=text)
        audit_record(actor=actor, action=events.MENTOR_NOTE_ADDED, target=pair, data={"note_id": note.pk})
    return note
