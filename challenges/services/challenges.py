"""Posting challenges and moving them through the lifecycle (lifecycle.TRANSITIONS)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language
from platform_core.orgs.models import Studio, Unit
from platform_core.periodic import database_now
from platform_core.text import clean_tags

from .. import events, permissions
from ..lifecycle import ACTIONS_NEEDING_TEXT, Action, State, transition_for
from ..models import MAX_CRITERIA, Bid, Challenge, ChallengeOutcome, ReviewCriterion
from ..search import challenge_grams
from .common import challenge_url, lock_challenge, notify, optional_text, required_text, verbatim
from .recusal import refresh_recusals

# Plain fields a poster sets on a draft; many-to-many fields and criteria are handled apart.
TEXT_FIELDS = {
    "title": 200,
    "statement": 20000,
    "requirements": 20000,
    "acceptance_criteria": 20000,
    "ip_notes": 4000,
    "contact_name": 60,
    "contact_phone": 20,
}
CHOICE_FIELDS = {
    "reward_form": Challenge.RewardForm,
    "eligibility": Challenge.Eligibility,
    "ip_ownership": Challenge.IpOwnership,
    "award_mode": Challenge.AwardMode,
}
FLAG_FIELDS = ("ip_licence_to_poster", "confidential", "show_bid_count")
EDITABLE_FIELDS = (
    set(TEXT_FIELDS)
    | set(CHOICE_FIELDS)
    | set(FLAG_FIELDS)
    | {
        "fields",
        "reward_amount",
        "bidding_deadline",
        "expected_delivery",
        "max_winners",
        "eligible_studio_types",
        "eligible_levels",
        "eligible_units",
        "invited_studios",
        "invited_teams",
        "criteria",
    }
)


def _set_plain_fields(challenge: Challenge, changes: dict) -> list[str]:
    changed: list[str] = []
    for name, value in changes.items():
        if name in TEXT_FIELDS:
            setattr(challenge, name, optional_text(value, max_length=TEXT_FIELDS[name]))
        elif name in CHOICE_FIELDS:
            if value not in CHOICE_FIELDS[name].values:
                raise ValidationError({name: _("Choose one of the options.")})
            setattr(challenge, name, value)
        elif name in FLAG_FIELDS:
            setattr(challenge, name, bool(value))
        elif name == "fields":
            labels = clean_tags(value)
            # "|" separates the labels in fields_key, the board's field filter.
            if any("|" in label for label in labels):
                raise ValidationError({name: _("A field may not contain “|”.")})
            challenge.set_fields(labels)
            changed.append("fields_key")
        elif name == "reward_amount":
            try:
                amount = Decimal(str(value))
            except InvalidOperation:
                raise ValidationError({name: _("Enter an amount.")}) from None
            if amount < 0 or amount >= Decimal("1e10"):
                raise ValidationError({name: _("Enter an amount between 0 and 9,999,999,999.")})
            challenge.reward_amount = amount
        elif name == "max_winners":
            challenge.max_winners = int(value)
        elif name in ("eligible_studio_types", "eligible_levels"):
            allowed = Studio.Type.values if name == "eligible_studio_types" else Studio.Level.values
            values = list(dict.fromkeys(value))
            if any(item not in allowed for item in values):
                raise ValidationError({name: _("Choose from the listed studio types and levels.")})
            setattr(challenge, name, values)
        elif name in ("bidding_deadline", "expected_delivery"):
            setattr(challenge, name, value)
        else:
            continue
        changed.append(name)
    if "title" in changed or "statement" in changed:
        challenge.search_grams = challenge_grams(challenge.title, challenge.statement)
        changed.append("search_grams")
    return changed


def _validate_criteria(criteria) -> list[tuple[str, int]]:
    if len(criteria) > MAX_CRITERIA:
        raise ValidationError({"criteria": _("At most %(count)d criteria.") % {"count": MAX_CRITERIA}})
    cleaned: list[tuple[str, int]] = []
    for name, weight in criteria:
        label = optional_text(name, max_length=80)
        if not label:
            raise ValidationError({"criteria": _("Every criterion needs a name.")})
        if not 1 <= int(weight) <= 100:
            raise ValidationError({"criteria": _("Each weight lies between 1 and 100.")})
        cleaned.append((label, int(weight)))
    if len({name for name, _weight in cleaned}) != len(cleaned):
        raise ValidationError({"criteria": _("Criteria need distinct names.")})
    if cleaned and sum(weight for _name, weight in cleaned) != 100:
        raise ValidationError({"criteria": _("The weights of the criteria must add up to 100.")})
    return cleaned


def _validate_challenge(challenge: Challenge) -> None:
    errors: dict[str, str] = {}
    if not challenge.title:
        errors["title"] = _("Give the challenge a title.")
    if not challenge.statement:
        errors["statement"] = _("Describe the problem to solve.")
    if not challenge.contact_name:
        errors["contact_name"] = _("Name a contact person.")
    if challenge.award_mode == Challenge.AwardMode.SINGLE and challenge.max_winners != 1:
        errors["max_winners"] = _("A challenge with one winner has exactly one winner.")
    if challenge.award_mode == Challenge.AwardMode.RACING and not 2 <= challenge.max_winners <= 10:
        errors["max_winners"] = _("A race (赛马制) has between 2 and 10 winners.")
    if (
        challenge.expected_delivery
        and challenge.bidding_deadline
        # Dates are the platform's local dates (Asia/Shanghai), not UTC's.
        and challenge.expected_delivery <= timezone.localdate(challenge.bidding_deadline)
    ):
        errors["expected_delivery"] = _("Delivery comes after the bidding deadline.")
    if errors:
        raise ValidationError(errors)


def _save_relations(challenge: Challenge, changes: dict) -> None:
    for name in ("eligible_units", "invited_studios", "invited_teams"):
        if name in changes:
            getattr(challenge, name).set(list(changes[name]))
    if "criteria" in changes:
        criteria = _validate_criteria(changes["criteria"])
        challenge.criteria.all().delete()
        ReviewCriterion.objects.bulk_create(
            ReviewCriterion(challenge=challenge, name=name, weight=weight, position=index)
            for index, (name, weight) in enumerate(criteria)
        )


def challenge_create(*, actor, unit: Unit, ip_address: str | None = None, **changes) -> Challenge:
    """A new draft posted for `unit` by someone who may post for it."""
    if not permissions.may_post_for(actor, unit):
        raise PermissionDenied(_("Only those who may post for this unit may draft challenges for it."))
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for required in ("bidding_deadline", "expected_delivery"):
        if not changes.get(required):
            raise ValidationError({required: _("This date is required.")})
    challenge = Challenge(unit=unit, poster=actor)
    _set_plain_fields(challenge, changes)
    _validate_challenge(challenge)
    with transaction.atomic():
        challenge.save()
        _save_relations(challenge, changes)
        audit_record(actor=actor, action=events.CHALLENGE_CREATED, target=challenge, ip_address=ip_address)
    return challenge


def challenge_update(*, actor, challenge: Challenge, ip_address: str | None = None, **changes) -> Challenge:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    with transaction.atomic():
        challenge, _now, _state = lock_challenge(challenge.pk)
        if not permissions.is_poster_side(actor, challenge):
            raise PermissionDenied(
                _("Only the poster or a union admin over the unit may edit this challenge.")
            )
        if challenge.state != State.DRAFT:
            raise ValidationError(
                _("Only a draft can be edited; this challenge is %(state)s.")
                % {"state": challenge.get_state_display()}
            )
        changed = _set_plain_fields(challenge, changes)
        _validate_challenge(challenge)
        if changed:
            challenge.save(update_fields=changed)
        _save_relations(challenge, changes)
        audit_record(
            actor=actor,
            action=events.CHALLENGE_UPDATED,
            target=challenge,
            ip_address=ip_address,
            data={"fields": sorted(changes)},
        )
    return challenge


def _check_ready_to_publish(challenge: Challenge, now: datetime.datetime) -> None:
    """What a challenge needs before it goes to approval and before it is published."""
    errors: dict[str, str] = {}
    if challenge.bidding_deadline <= now:
        errors["bidding_deadline"] = _("The bidding deadline has passed; set a later one.")
    weights = list(challenge.criteria.values_list("weight", flat=True))
    if sum(weights) != 100:
        errors["criteria"] = _("Add review criteria whose weights add up to 100.")
    if (
        challenge.eligibility == Challenge.Eligibility.INVITATION
        and not challenge.invited_studios.exists()
        and not challenge.invited_teams.exists()
    ):
        errors["invited_studios"] = _("Invite at least one studio or team.")
    if errors:
        raise ValidationError(errors)


def _check_preconditions(challenge: Challenge, action: Action, now: datetime.datetime) -> None:
    """What the challenge itself needs for an allowed action (the actor and state were checked)."""
    if action in (Action.SUBMIT, Action.APPROVE):
        _check_ready_to_publish(challenge, now)
    if action == Action.START_REVIEW and not challenge.bids.exclude(status=Bid.Status.WITHDRAWN).exists():
        raise ValidationError(_("No bid came in; mark the challenge as failed or withdraw it."))


def _bidder_leads(challenge: Challenge, *, statuses) -> list:
    bids = challenge.bids.filter(status__in=statuses).select_related("studio__leader", "team__lead")
    return [bid.lead for bid in bids]


def apply_transition(
    *,
    actor,
    challenge: Challenge,
    state: str,
    action: Action,
    now: datetime.datetime,
    text: str = "",
    ip_address: str | None = None,
) -> Challenge:
    """Move a locked challenge from its effective `state` by `action`. Callers hold the row lock
    and pass the database clock `now` they read under it (lock_challenge)."""
    refusal = permissions.transition_refusal(actor, challenge, state, action)
    if refusal is not None:
        exception, message = refusal
        raise exception(message)
    target = transition_for(state, action).target  # type: ignore[union-attr]
    previous = challenge.state
    update = ["state", "state_changed_at"]
    challenge.state = target
    # The database clock, like the deadline rule: whether a withdrawal came before the deadline
    # (bids sealed for good, permissions.bidding_has_closed) is decided on one clock.
    challenge.state_changed_at = now
    if action == Action.RETURN:
        challenge.return_comments = text
        update.append("return_comments")
    elif action == Action.SEND_BACK:
        challenge.send_back_reasons = text
        update.append("send_back_reasons")
    elif action in (Action.WITHDRAW, Action.FAIL):
        challenge.closing_reason = text
        update.append("closing_reason")
    elif action == Action.APPROVE:
        challenge.published_at = challenge.state_changed_at
        challenge.return_comments = ""
        update += ["published_at", "return_comments"]
    challenge.save(update_fields=update)
    audit_record(
        actor=actor,
        action=events.TRANSITION_AUDIT_ACTIONS[action],
        target=challenge,
        ip_address=ip_address,
        data={"from": state, "to": target, "text": text},
    )
    events.emit_state_changed(challenge, previous=previous, action=action.value)
    return challenge


def challenge_transition(
    *, actor, challenge: Challenge, action: str, text: str = "", ip_address: str | None = None
) -> Challenge:
    """Every lifecycle action except the award (reviews.challenge_award) and the job's close."""
    try:
        action = Action(action)
    except ValueError:
        raise ValidationError({"action": _("Unknown action.")}) from None
    if action in (Action.AWARD, Action.CLOSE_BIDDING):
        raise ValidationError({"action": _("This action has its own form.")})
    if action in ACTIONS_NEEDING_TEXT:
        text = required_text(text, field="text", message=_("Give your comments or reasons."))
    else:
        text = optional_text(text, max_length=4000)
    with transaction.atomic():
        challenge, now, state = lock_challenge(challenge.pk)
        if permissions.transition_refusal(actor, challenge, state, action) is None:
            _check_preconditions(challenge, action, now)
        apply_transition(
            actor=actor,
            challenge=challenge,
            state=state,
            action=action,
            now=now,
            text=text,
            ip_address=ip_address,
        )
        if state == State.BIDDING_CLOSED:
            # Leaving bidding_closed (start_review, withdraw, fail) opens the bids to the experts
            # (permissions.bids_open_for): recuse the conflicted ones first.
            refresh_recusals(challenge)
        outcome = None
        if action == Action.ACCEPT:
            outcome = ChallengeOutcome.objects.create(
                challenge=challenge, summary=text, accepted_by=actor, accepted_at=challenge.state_changed_at
            )
        _notify_transition(challenge, action, text, outcome=outcome)
        if action == Action.APPROVE:
            events.emit_board_published(challenge)
    return challenge


def publish_result_url(outcome: ChallengeOutcome) -> str:
    """Where the winner's lead turns the accepted outcome into a showcase achievement. Reversed
    by URL name: the showcase reads challenges, never the reverse, so nothing of it is imported."""
    return reverse("showcase:create") + f"?outcome={outcome.pk}"


def _notify_transition(
    challenge: Challenge, action: Action, text: str, *, outcome: ChallengeOutcome | None = None
) -> None:
    url = challenge_url(challenge)
    with platform_language():
        if action in (Action.APPROVE, Action.RETURN):
            notify(
                [challenge.poster],
                kind=events.TRANSITION_AUDIT_ACTIONS[action],
                title=lambda: (
                    (
                        _("Your challenge “%(title)s” was approved and published")
                        if action == Action.APPROVE
                        else _("Your challenge “%(title)s” was returned with comments")
                    )
                    % {"title": challenge.title}
                ),
                body=verbatim(text),
                url=url,
            )
        elif action in (Action.WITHDRAW, Action.FAIL):
            leads = _bidder_leads(challenge, statuses=[Bid.Status.SUBMITTED, Bid.Status.WON, Bid.Status.LOST])
            notify(
                leads,
                kind=events.TRANSITION_AUDIT_ACTIONS[action],
                title=lambda: (
                    _("The challenge “%(title)s” ended: %(state)s")
                    % {"title": challenge.title, "state": challenge.get_state_display()}
                ),
                body=verbatim(text),
                url=url,
            )
        elif action in (Action.SEND_BACK, Action.ACCEPT):
            leads = _bidder_leads(challenge, statuses=[Bid.Status.WON])

            def title() -> str:
                return (
                    _("The delivery of “%(title)s” was accepted")
                    if action == Action.ACCEPT
                    else _("The delivery of “%(title)s” was sent back")
                ) % {"title": challenge.title}

            def body() -> str:
                if outcome is None:
                    return text
                # Accepted: the next step is publishing the result, so the notice leads there.
                return "\n\n".join(
                    part for part in (text, _("Publish the result in the showcase from this link.")) if part
                )

            if outcome is not None:
                url = publish_result_url(outcome)
            notify(leads, kind=events.TRANSITION_AUDIT_ACTIONS[action], title=title, body=body, url=url)


def challenge_close_due_bidding() -> int:
    """Materialise the deadline rule (the periodic job): write `bidding_closed` on published
    challenges past their deadline and tell the poster and the bidders. Returns how many closed."""
    now = database_now()
    due = list(
        Challenge.objects.filter(state=State.PUBLISHED, bidding_deadline__lte=now).values_list(
            "pk", flat=True
        )
    )
    closed = 0
    for pk in due:
        with transaction.atomic():
            challenge, now, state = lock_challenge(pk)
            # Another runner may have closed it, or the poster withdrawn it, since the list was read.
            if challenge.state != State.PUBLISHED or state != State.BIDDING_CLOSED:
                continue
            apply_transition(
                actor=None, challenge=challenge, state=State.PUBLISHED, action=Action.CLOSE_BIDDING, now=now
            )
            # Told now, while the bids are sealed to experts until the review starts.
            refresh_recusals(challenge)
            count = challenge.bids.exclude(status=Bid.Status.WITHDRAWN).count()
            with platform_language():
                notify(
                    [challenge.poster],
                    kind=events.NOTICE_BIDDING_CLOSED,
                    title=lambda: (
                        _("Bidding on “%(title)s” has closed with %(count)d bids")
                        % {"title": challenge.title, "count": count}  # noqa: B023
                    ),
                    url=challenge_url(challenge),
                )
                notify(
                    _bidder_leads(challenge, statuses=[Bid.Status.SUBMITTED]),
                    kind=events.NOTICE_BIDDING_CLOSED,
                    title=lambda: (
                        _("Bidding on “%(title)s” has closed; the review follows")
                        % {"title": challenge.title}  # noqa: B023
                    ),
                    url=challenge_url(challenge),
                )
            closed += 1
    return closed
