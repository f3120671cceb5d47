"""Sealed bids (揭榜): submit, edit and withdraw until the deadline, decided by the database clock.

Each write locks the challenge row and reads the database clock after the lock is granted, so a
submit racing the deadline, or the periodic job closing bidding, is decided in one order for all.
Nothing a bid write emits or notifies names the bidder or carries the bid's content.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alliances.models import Team
from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language
from platform_core.orgs.models import Studio

from .. import events, permissions
from ..models import MAX_PLAN_STEPS, MAX_TEAM_ROWS, Bid, BidMilestone, Challenge
from .common import challenge_url, lock_challenge, notify, optional_text, required_text

CONTENT_FIELDS = {
    "approach",
    "plan",
    "budget",
    "timeline",
    "team_composition",
    "qualifications",
    "commitment_text",
    "signer_name",
    "milestones",
}


def _amount(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("Enter an amount.")}) from None
    if not Decimal("0") <= amount < Decimal("1e10"):
        raise ValidationError({field: _("Enter an amount between 0 and 9,999,999,999.")})
    return amount


def _composition(rows) -> list[dict]:
    if len(rows or []) > MAX_TEAM_ROWS:
        raise ValidationError(
            {"team_composition": _("List at most %(count)d people.") % {"count": MAX_TEAM_ROWS}}
        )
    cleaned = []
    for row in rows or []:
        name = optional_text(str(row.get("name", "")), max_length=60)
        role = optional_text(str(row.get("role", "")), max_length=60)
        if name:
            cleaned.append({"name": name, "role": role})
    return cleaned


def _plan_steps(challenge: Challenge, rows) -> list[BidMilestone]:
    if len(rows or []) > MAX_PLAN_STEPS:
        raise ValidationError(
            {"milestones": _("A plan has at most %(count)d milestones.") % {"count": MAX_PLAN_STEPS}}
        )
    steps: list[BidMilestone] = []
    for index, row in enumerate(rows or [], start=1):
        title = required_text(
            row.get("title", ""),
            field="milestones",
            message=_("Every milestone needs a title."),
            max_length=200,
        )
        due = row.get("due_date")
        if not isinstance(due, datetime.date):
            raise ValidationError({"milestones": _("Every milestone needs a due date.")})
        if due < timezone.localdate(challenge.bidding_deadline):
            raise ValidationError({"milestones": _("Milestones fall after the bidding deadline.")})
        steps.append(
            BidMilestone(
                position=index,
                title=title,
                deliverable=optional_text(row.get("deliverable", ""), max_length=4000),
                due_date=due,
                reward_share=_amount(row.get("reward_share", 0), field="milestones"),
            )
        )
    if not steps:
        raise ValidationError({"milestones": _("The plan needs at least one milestone.")})
    # A share is the yuan amount due at that step, out of the challenge's reward: together at most
    # the reward, not exactly it (a race splits the reward between winners; docs/challenges.md).
    total = sum((step.reward_share for step in steps), Decimal("0"))
    if total > challenge.reward_amount:
        raise ValidationError(
            {
                "milestones": _(
                    "The milestones' reward shares add up to ¥%(total)s, more than the reward of "
                    "¥%(reward)s. A share is an amount in yuan; together they are at most the reward."
                )
                % {
                    "total": formats.number_format(total, decimal_pos=2, force_grouping=True),
                    "reward": formats.number_format(
                        challenge.reward_amount, decimal_pos=2, force_grouping=True
                    ),
                }
            }
        )
    return steps


def _apply_content(bid: Bid, challenge: Challenge, content: dict, *, actor, now) -> list[BidMilestone] | None:
    """Set the bid's content from `content`; returns the new plan steps when they were given."""
    if "approach" in content:
        bid.approach = required_text(
            content["approach"], field="approach", message=_("Describe your approach."), max_length=20000
        )
    for name, limit in (("plan", 20000), ("timeline", 4000), ("qualifications", 8000)):
        if name in content:
            setattr(bid, name, optional_text(content[name], max_length=limit))
    if "budget" in content:
        bid.budget = _amount(content["budget"], field="budget")
    if "team_composition" in content:
        bid.team_composition = _composition(content["team_composition"])
    if "commitment_text" in content or "signer_name" in content:
        # Any change to the commitment letter is a new signature by the bidder's lead, now.
        bid.commitment_text = required_text(
            content.get("commitment_text", bid.commitment_text),
            field="commitment_text",
            message=_("The commitment letter (军令状) is required."),
        )
        bid.commitment_signer_name = required_text(
            content.get("signer_name", bid.commitment_signer_name),
            field="signer_name",
            message=_("Sign the commitment letter with your name."),
            max_length=60,
        )
        bid.commitment_signed_by = actor
        bid.commitment_signed_at = now
    if "milestones" in content:
        return _plan_steps(challenge, content["milestones"])
    return None


def _active_count(challenge: Challenge) -> int:
    return challenge.bids.exclude(status=Bid.Status.WITHDRAWN).count()


def _announce_count(challenge: Challenge) -> None:
    if challenge.show_bid_count:
        events.emit_bid_count(challenge, _active_count(challenge))


def bid_submit(
    *,
    actor,
    challenge: Challenge,
    studio: Studio | None = None,
    team: Team | None = None,
    ip_address: str | None = None,
    **content,
) -> Bid:
    unknown = set(content) - CONTENT_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for required in ("approach", "budget", "commitment_text", "signer_name", "milestones"):
        if required not in content:
            raise ValidationError({required: _("This field is required.")})
    with transaction.atomic():
        challenge, now, state = lock_challenge(challenge.pk)
        # Eligibility read under the lock, from fresh rows (a studio delisted meanwhile may not bid).
        if studio is not None:
            studio = Studio.objects.get(pk=studio.pk)
        if team is not None:
            team = Team.objects.select_related("lead").get(pk=team.pk)
        problem = permissions.bid_as_problem(actor, challenge, studio=studio, team=team)
        if problem:
            raise PermissionDenied(problem)
        refusal = permissions.bidding_refusal(challenge, state)
        if refusal:
            raise ValidationError(refusal)
        bid = Bid(challenge=challenge, studio=studio, team=team, submitted_by=actor)
        steps = _apply_content(bid, challenge, content, actor=actor, now=now) or []
        try:
            # A savepoint: the unique constraint, not a prior check, decides a double submit.
            with transaction.atomic():
                bid.save()
        except IntegrityError:
            raise ValidationError(
                _("You already have an active bid on this challenge; edit it instead.")
            ) from None
        for step in steps:
            step.bid = bid
        BidMilestone.objects.bulk_create(steps)
        audit_record(actor=actor, action=events.BID_SUBMITTED, target=bid, ip_address=ip_address)
        _announce_count(challenge)
        with platform_language():
            notify(
                [challenge.poster],
                kind=events.NOTICE_BID_RECEIVED,
                title=lambda: _("A new bid was received on “%(title)s”") % {"title": challenge.title},
                body=lambda: _("Bids are opened after the deadline."),
                url=challenge_url(challenge),
            )
    return bid


def _locked_own_bid(actor, bid: Bid) -> tuple[Bid, Challenge, datetime.datetime]:
    challenge, now, state = lock_challenge(bid.challenge_id)
    bid = Bid.objects.select_for_update(of=("self",)).select_related("studio", "team").get(pk=bid.pk)
    bid.challenge = challenge
    refusal = permissions.bid_change_refusal(actor, bid, state=state)
    if refusal is not None:
        exception, message = refusal
        raise exception(message)
    return bid, challenge, now


def bid_update(*, actor, bid: Bid, ip_address: str | None = None, **content) -> Bid:
    unknown = set(content) - CONTENT_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    with transaction.atomic():
        bid, challenge, now = _locked_own_bid(actor, bid)
        steps = _apply_content(bid, challenge, content, actor=actor, now=now)
        bid.save()
        if steps is not None:
            bid.plan_steps.all().delete()
            for step in steps:
                step.bid = bid
            BidMilestone.objects.bulk_create(steps)
        audit_record(
            actor=actor,
            action=events.BID_UPDATED,
            target=bid,
            ip_address=ip_address,
            data={"fields": sorted(content)},
        )
    return bid


def bid_withdraw(*, actor, bid: Bid, ip_address: str | None = None) -> Bid:
    with transaction.atomic():
        bid, challenge, _now = _locked_own_bid(actor, bid)
        bid.status = Bid.Status.WITHDRAWN
        bid.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action=events.BID_WITHDRAWN, target=bid, ip_address=ip_address)
        _announce_count(challenge)
    return bid
