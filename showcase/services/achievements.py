"""Achievements: create (directly or from an accepted challenge), edit, files, and publication
(draft → submitted → published, sent back to draft, withdrawn)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.models import Team
from challenges.models import ChallengeOutcome
from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language
from platform_core.images import reencode_avatar
from platform_core.orgs.models import Studio
from platform_core.text import clean_line, clean_plain_text, clean_tags
from platform_core.uploads import ACHIEVEMENT_FILE, ACHIEVEMENT_IMAGE

from .. import events, permissions, search
from ..models import Achievement, AchievementFile, Contributor, FieldTag, Patent
from .common import achievement_url, admins_over, decimal_value, notify, verbatim

MAX_CONTRIBUTORS = 30
MAX_PATENTS = 30
IMAGE_SIDE = 1600


def _contributors(rows: list[dict]) -> list[Contributor]:
    """Contributors with their shares, which must add up to 100%."""
    if not rows:
        raise ValidationError({"contributors": _("Name at least one contributor.")})
    if len(rows) > MAX_CONTRIBUTORS:
        raise ValidationError({"contributors": _("Name at most 30 contributors.")})
    contributors = []
    for position, row in enumerate(rows, start=1):
        name = clean_line(str(row.get("name", "")), max_length=60)
        share = decimal_value(row.get("share"), field="contributors")
        if not name or share is None or not Decimal("0") < share <= Decimal("100"):
            raise ValidationError({"contributors": _("Each contributor needs a name and a share above 0%.")})
        contributors.append(Contributor(position=position, name=name, share=share, user=row.get("user")))
    if sum(c.share for c in contributors) != Decimal("100"):
        raise ValidationError({"contributors": _("The contributors' shares must add up to 100%.")})
    return contributors


def _patents(rows: list[dict]) -> list[Patent]:
    if len(rows) > MAX_PATENTS:
        raise ValidationError({"patents": _("List at most 30 patents.")})
    patents: list[Patent] = []
    for row in rows:
        number = clean_line(str(row.get("number", "")), max_length=60)
        kind, status = row.get("kind"), row.get("status")
        if not number or kind not in Patent.Kind.values or status not in Patent.Status.values:
            raise ValidationError({"patents": _("Each patent needs a number, a kind and a status.")})
        if any(patent.number == number for patent in patents):
            raise ValidationError({"patents": _("A patent number is listed twice.")})
        patents.append(Patent(number=number, kind=kind, status=status))
    return patents


def _content(data: dict) -> dict:
    """The cleaned scalar fields of an achievement (title, summary, …) from the caller's data."""
    title = clean_line(data.get("title", ""), max_length=200)
    summary = clean_line(data.get("summary", ""), max_length=500)
    if not title:
        raise ValidationError({"title": _("Give the achievement a title.")})
    if not summary:
        raise ValidationError({"summary": _("Give a short summary.")})
    if data.get("type") not in Achievement.Type.values:
        raise ValidationError({"type": _("Choose the type of achievement.")})
    return {
        "title": title,
        "summary": summary,
        "description": clean_plain_text(data.get("description", ""), max_length=20000),
        "type": data["type"],
        "economic_benefit": decimal_value(data.get("economic_benefit"), field="economic_benefit"),
        "benefit_method": clean_plain_text(data.get("benefit_method", ""), max_length=4000),
        "other_benefits": clean_plain_text(data.get("other_benefits", ""), max_length=4000),
    }


def _tag_names(data: dict) -> list[str]:
    return clean_tags(data.get("fields") or [], max_items=8)


def _save_related(achievement: Achievement, data: dict) -> None:
    contributors = _contributors(list(data.get("contributors") or []))
    patents = _patents(list(data.get("patents") or []))
    tags = [FieldTag.objects.get_or_create(name=name)[0] for name in _tag_names(data)]
    achievement.contributors.all().delete()
    achievement.patents.all().delete()
    for contributor in contributors:
        contributor.achievement = achievement
    for patent in patents:
        patent.achievement = achievement
    Contributor.objects.bulk_create(contributors)
    Patent.objects.bulk_create(patents)
    achievement.fields.set(tags)
    has_patent = bool(patents)
    if achievement.has_patent != has_patent:
        achievement.has_patent = has_patent
        achievement.save(update_fields=["has_patent"])


def index_text(achievement: Achievement, tags: list[str]) -> None:
    """The search index text: title, summary, description and the field tags (a tag such as
    故障定位 is searched like the text)."""
    achievement.search_grams = search.grams(
        achievement.title, achievement.summary, achievement.description, *tags
    )


def achievement_create(
    *,
    actor,
    studio: Studio | None = None,
    team: Team | None = None,
    outcome: ChallengeOutcome | None = None,
    ip_address: str | None = None,
    **data,
) -> Achievement:
    """A draft achievement of a studio or team, by its leader. `data`: title, summary,
    description, type, fields, contributors [{name, share, user?}], patents [{number, kind,
    status}], economic_benefit, benefit_method, other_benefits."""
    if (studio is None) == (team is None):
        raise ValidationError(_("An achievement belongs to one studio or one team."))
    if not permissions.may_create_for(actor, studio=studio, team=team):
        raise PermissionDenied(
            _("Only the leader of an active studio or the lead of an open team may do this.")
        )
    if outcome is not None:
        _check_outcome(outcome, studio=studio, team=team)
    content = _content(data)
    unit = studio.unit if studio is not None else team.lead.unit  # type: ignore[union-attr]
    if unit is None:
        raise ValidationError(_("The team's lead belongs to no unit."))
    with transaction.atomic():
        achievement = Achievement(
            studio=studio, team=team, unit=unit, source_outcome=outcome, created_by=actor, **content
        )
        index_text(achievement, _tag_names(data))
        achievement.save()
        _save_related(achievement, data)
        audit_record(
            actor=actor, action=events.ACHIEVEMENT_CREATED, target=achievement, ip_address=ip_address
        )
    return achievement


def _check_outcome(outcome: ChallengeOutcome, *, studio: Studio | None, team: Team | None) -> None:
    """An outcome becomes one achievement, of a studio or team that won the challenge."""
    if ChallengeOutcome.objects.filter(pk=outcome.pk, achievement__isnull=False).exists():
        raise ValidationError(_("This challenge's outcome is already in the showcase."))
    winners = outcome.challenge.bids.filter(status="won")
    if not winners.filter(studio=studio, team=team).exists():
        raise PermissionDenied(_("Only a winner of the challenge may show its outcome."))


def achievement_update(
    *, actor, achievement: Achievement, ip_address: str | None = None, **data
) -> Achievement:
    with transaction.atomic():
        achievement = (
            Achievement.objects.select_for_update(of=("self",))
            .select_related("studio", "team")
            .get(pk=achievement.pk)
        )
        if not permissions.can_edit_achievement(actor, achievement):
            raise PermissionDenied(_("Only the owner's leader may edit a draft."))
        for field, value in _content(data).items():
            setattr(achievement, field, value)
        index_text(achievement, _tag_names(data))
        achievement.save()
        _save_related(achievement, data)
        audit_record(
            actor=actor, action=events.ACHIEVEMENT_UPDATED, target=achievement, ip_address=ip_address
        )
    return achievement


def _lock(achievement: Achievement) -> Achievement:
    return (
        Achievement.objects.select_for_update(of=("self",))
        .select_related("studio__leader", "team__lead", "unit")
        .get(pk=achievement.pk)
    )


def achievement_submit(*, actor, achievement: Achievement, ip_address: str | None = None) -> Achievement:
    with transaction.atomic():
        achievement = _lock(achievement)
        if not permissions.can_submit_achievement(actor, achievement):
            raise PermissionDenied(_("Only the owner's leader may submit a draft."))
        if not achievement.contributors.exists():
            raise ValidationError(_("Name the contributors before submitting."))
        achievement.state = Achievement.State.SUBMITTED
        achievement.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor, action=events.ACHIEVEMENT_SUBMITTED, target=achievement, ip_address=ip_address
        )
        with platform_language():
            notify(
                admins_over(achievement.unit),
                kind=events.ACHIEVEMENT_SUBMITTED,
                title=lambda: _("“%(title)s” awaits publication") % {"title": achievement.title},
                url=achievement_url(achievement),
            )
    return achievement


def achievement_publish(*, actor, achievement: Achievement, ip_address: str | None = None) -> Achievement:
    with transaction.atomic():
        achievement = _lock(achievement)
        if not permissions.can_moderate(actor, achievement):
            raise PermissionDenied(_("Only a union admin over the unit may publish."))
        if achievement.state != Achievement.State.SUBMITTED:
            raise ValidationError(_("Only a submitted achievement can be published."))
        achievement.state = Achievement.State.PUBLISHED
        achievement.state_reason = ""
        achievement.published_at = timezone.now()
        achievement.save(update_fields=["state", "state_reason", "published_at", "updated_at"])
        if achievement.source_outcome_id:
            ChallengeOutcome.objects.filter(pk=achievement.source_outcome_id).update(
                taken_by_showcase_at=achievement.published_at
            )
        audit_record(
            actor=actor, action=events.ACHIEVEMENT_PUBLISHED, target=achievement, ip_address=ip_address
        )
        _notify_owner(
            achievement,
            gettext_lazy("“%(title)s” is published in the showcase"),
            kind=events.ACHIEVEMENT_PUBLISHED,
        )
    return achievement


def achievement_return(
    *, actor, achievement: Achievement, reason: str, ip_address: str | None = None
) -> Achievement:
    reason = clean_plain_text(reason or "", max_length=4000)
    if not reason:
        raise ValidationError({"reason": _("Say what must change.")})
    with transaction.atomic():
        achievement = _lock(achievement)
        if not permissions.can_moderate(actor, achievement):
            raise PermissionDenied(_("Only a union admin over the unit may send it back."))
        if achievement.state != Achievement.State.SUBMITTED:
            raise ValidationError(_("Only a submitted achievement can be sent back."))
        achievement.state = Achievement.State.DRAFT
        achievement.state_reason = reason
        achievement.save(update_fields=["state", "state_reason", "updated_at"])
        audit_record(
            actor=actor,
            action=events.ACHIEVEMENT_RETURNED,
            target=achievement,
            ip_address=ip_address,
            data={"reason": reason},
        )
        _notify_owner(
            achievement,
            gettext_lazy("“%(title)s” was sent back"),
            kind=events.ACHIEVEMENT_RETURNED,
            body=reason,
        )
    return achievement


def achievement_withdraw(
    *, actor, achievement: Achievement, reason: str, ip_address: str | None = None
) -> Achievement:
    reason = clean_plain_text(reason or "", max_length=4000)
    if not reason:
        raise ValidationError({"reason": _("Say why it is withdrawn.")})
    with transaction.atomic():
        achievement = _lock(achievement)
        if not permissions.can_withdraw_achievement(actor, achievement):
            raise PermissionDenied(
                _("Only the owner's leader or a union admin over the unit may withdraw it.")
            )
        achievement.state = Achievement.State.WITHDRAWN
        achievement.state_reason = reason
        achievement.save(update_fields=["state", "state_reason", "updated_at"])
        audit_record(
            actor=actor,
            action=events.ACHIEVEMENT_WITHDRAWN,
            target=achievement,
            ip_address=ip_address,
            data={"reason": reason},
        )
        _notify_owner(
            achievement,
            gettext_lazy("“%(title)s” was withdrawn"),
            kind=events.ACHIEVEMENT_WITHDRAWN,
            body=reason,
        )
    return achievement


def _notify_owner(achievement: Achievement, title, *, kind: str, body: str = "") -> None:
    lead = achievement.owner_lead
    with platform_language():
        notify(
            [lead],
            kind=kind,
            title=lambda: str(title) % {"title": achievement.title},
            body=verbatim(body),
            url=achievement_url(achievement),
        )


def achievement_file_add(
    *, actor, achievement: Achievement, upload, kind: str, ip_address: str | None = None
) -> AchievementFile:
    """An image (decoded and encoded afresh) or an attachment, by the owner's leader."""
    if kind not in AchievementFile.Kind.values:
        raise ValidationError({"kind": _("Choose image or attachment.")})
    if not permissions.can_add_file(actor, achievement):
        raise PermissionDenied(_("Only the owner's leader may add files."))
    name = (ACHIEVEMENT_IMAGE if kind == AchievementFile.Kind.IMAGE else ACHIEVEMENT_FILE).admit(upload)
    if kind == AchievementFile.Kind.IMAGE:
        content = reencode_avatar(upload, side=IMAGE_SIDE)
        name = f"{Path(name).stem}.{(content.name or '.jpg').rsplit('.', 1)[-1]}"
    else:
        content = upload
    with transaction.atomic():
        stored = AchievementFile(
            achievement=achievement, kind=kind, name=name, size=content.size, uploaded_by=actor
        )
        stored.file.save(name, content, save=False)
        stored.save()
        audit_record(
            actor=actor,
            action=events.ACHIEVEMENT_FILE_ADDED,
            target=achievement,
            ip_address=ip_address,
            data={"name": name},
        )
    return stored


def achievement_file_remove(*, actor, stored: AchievementFile, ip_address: str | None = None) -> None:
    """Removes an image or attachment; the stored bytes go once the removal is committed."""
    achievement = stored.achievement
    if not permissions.can_remove_file(actor, achievement):
        raise PermissionDenied(_("Only the owner's leader or an admin over its unit may remove files."))
    with transaction.atomic():
        stored.delete()
        audit_record(
            actor=actor,
            action=events.ACHIEVEMENT_FILE_REMOVED,
            target=achievement,
            ip_address=ip_address,
            data={"name": stored.name},
        )
        # Only after the commit: a rolled-back removal must not lose the file it keeps.
        transaction.on_commit(partial(stored.file.delete, save=False))
