"""Expert committees as records: who sits where, who manages them, and the writes.

An expert is on a committee when they hold a seat on it and their account is active
(`seated_filter`, the one definition; `is_seated` asks it about one committee). An expert may sit
on several committees; `ExpertProfile.committee` stays their home committee, the one the challenge
reviews and showcase rounds filter by. Union admins (and superusers) manage committees and seats.

`committee_seat_grant(user=…, code=…)` is the one door for "make this person an expert on that
committee" (the directory's group mapping calls it): it seats them and gives them an active expert
profile if they had none.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.orgs.permissions import is_union_admin
from platform_core.text import clean_line, clean_plain_text

from . import events
from .models import Committee, CommitteeSeat, ExpertProfile, User

# The committees every platform has (point 十五 of the guidance), by their stable codes.
STANDARD_COMMITTEES: tuple[tuple[str, str], ...] = (
    ("advisory", "专家咨询委员会"),
    ("technical", "专业技术委员会"),
    ("policy", "政策咨询委员会"),
    ("guidance", "技术指导委员会"),
    ("ip", "知识产权保护委员会"),
)


def can_manage_committees(user) -> bool:
    return is_union_admin(user)


def seated_filter(committee: Committee | int, prefix: str = "") -> Q:
    """The people seated on `committee`, as a filter on users (or on `prefix`, a path to a user)."""
    committee_id = committee.pk if isinstance(committee, Committee) else committee
    return Q(
        **{
            f"{prefix}committee_seats__committee_id": committee_id,
            f"{prefix}is_active": True,
        }
    )


def committee_experts(committee: Committee) -> QuerySet:
    """The experts seated on the committee, each once."""
    return (
        User.objects.filter(seated_filter(committee)).select_related("expert_profile", "unit").order_by("pk")
    )


def is_seated(user, committee: Committee) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return User.objects.filter(seated_filter(committee), pk=user.pk).exists()


def _require_manager(actor) -> None:
    if not can_manage_committees(actor):
        raise PermissionDenied(_("Only union admins manage the expert committees."))


def committee_save(
    *,
    actor,
    committee: Committee | None = None,
    code: str = "",
    name: str,
    description: str = "",
    chair=None,
    escalate_after_hours: int = 48,
) -> Committee:
    """Create a committee (with its code) or change one (its code stays: others name it by it)."""
    _require_manager(actor)
    name = clean_line(name or "", max_length=80)
    if not name:
        raise ValidationError({"name": _("A committee needs a name.")})
    if not isinstance(escalate_after_hours, int) or not 1 <= escalate_after_hours <= 24 * 30:
        raise ValidationError({"escalate_after_hours": _("Give between 1 and 720 hours.")})
    if chair is not None and not chair.is_active:
        raise ValidationError({"chair": _("The chair must have an active account.")})
    with transaction.atomic():
        if committee is None:
            code = clean_line(code or "", max_length=30).lower()
            if not code or not all(c.isascii() and (c.isalnum() or c in "-_") for c in code):
                raise ValidationError({"code": _("A code is made of letters, digits, - and _.")})
            if code == "new" or Committee.objects.filter(code=code).exists():
                raise ValidationError({"code": _("A committee with this code exists.")})
            committee = Committee(code=code)
        committee.name = name
        committee.description = clean_plain_text(description or "", max_length=2000)
        committee.chair = chair
        committee.escalate_after_hours = escalate_after_hours
        committee.save()
        audit_record(actor=actor, action=events.COMMITTEE_SAVED, target=committee)
    return committee


def _seat(user, committee: Committee) -> CommitteeSeat:
    seat, _created = CommitteeSeat.objects.get_or_create(committee=committee, user=user)
    home = (
        committee.code
        if committee.code in ExpertProfile.Committee.values
        else ExpertProfile.Committee.ADVISORY
    )
    ExpertProfile.objects.get_or_create(user=user, defaults={"committee": home})
    return seat


def committee_seat_grant(*, user, code: str, actor=None) -> CommitteeSeat:
    """Seat `user` on the committee `code` (again: nothing changes). With no actor it is the
    platform's own step (the directory's group mapping); with one, a union admin's."""
    if actor is not None:
        _require_manager(actor)
    committee = Committee.objects.filter(code=code).first()
    if committee is None:
        raise ValidationError(
            {"committee": _("There is no committee with the code %(code)s.") % {"code": code}}
        )
    with transaction.atomic():
        seat = _seat(user, committee)
        audit_record(
            actor=actor, action=events.COMMITTEE_SEAT_GRANTED, target=committee, data={"user": user.pk}
        )
    return seat


def committee_seat_revoke(*, actor, committee: Committee, user) -> None:
    _require_manager(actor)
    with transaction.atomic():
        deleted, _rows = CommitteeSeat.objects.filter(committee=committee, user=user).delete()
        if deleted:
            audit_record(
                actor=actor, action=events.COMMITTEE_SEAT_REVOKED, target=committee, data={"user": user.pk}
            )


def committees_ensure() -> list[Committee]:
    """The standard committees, made if missing (the migration and the demo call it)."""
    return [
        Committee.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in STANDARD_COMMITTEES
    ]
