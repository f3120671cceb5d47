"""Expert review and award (挂帅): assignments and recusal, scores, shortlist, clarifying questions,
the award (one winner or a race), and the race's mid-term review."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.accounts.models import ExpertProfile
from platform_core.audit.services import audit_record
from platform_core.i18n import platform_language

from .. import events, permissions
from ..lifecycle import SEALED_STATES, Action, State
from ..models import Bid, Challenge, Clarification, ExpertAssignment, Milestone, ReviewCriterion, Score
from .challenges import apply_transition
from .common import challenge_url, lock_challenge, notify, optional_text, required_text, verbatim
from .recusal import recuse

REVIEW_STATES = {State.PUBLISHED, State.BIDDING_CLOSED, State.UNDER_REVIEW, State.IN_PROGRESS}


def expert_assign(*, actor, challenge: Challenge, expert, ip_address: str | None = None) -> ExpertAssignment:
    if not permissions.can_assign_experts(actor, challenge):
        raise PermissionDenied(_("Only the poster or a union admin over the unit may assign experts."))
    if (
        expert is None
        or not expert.is_active
        or not ExpertProfile.objects.filter(user=expert, active=True).exists()
    ):
        raise ValidationError({"expert": _("Only active members of an expert committee can review.")})
    with transaction.atomic():
        challenge, _now, state = lock_challenge(challenge.pk)
        if state not in REVIEW_STATES:
            raise ValidationError(_("Experts are assigned once the challenge is published."))
        assignment, created = ExpertAssignment.objects.get_or_create(
            challenge=challenge, expert=expert, defaults={"assigned_by": actor}
        )
        if not created:
            raise ValidationError({"expert": _("This expert is already assigned.")})
        audit_record(
            actor=actor,
            action=events.EXPERT_ASSIGNED,
            target=challenge,
            ip_address=ip_address,
            data={"expert_id": expert.pk},
        )
        with platform_language():
            notify(
                [expert],
                kind=events.NOTICE_REVIEW_ASSIGNED,
                title=lambda: _("You were asked to review “%(title)s”") % {"title": challenge.title},
                url=challenge_url(challenge),
            )
        if state not in SEALED_STATES:
            bids = challenge.bids.exclude(status=Bid.Status.WITHDRAWN).select_related("studio", "team__lead")
            reasons = permissions.conflict_reasons(expert, list(bids))
            if reasons:
                recuse(assignment, reasons)
    return assignment


def expert_declare_conflict(
    *, actor, challenge: Challenge, reason: str, ip_address: str | None = None
) -> ExpertAssignment:
    reason = required_text(reason, field="reason", message=_("Say what the conflict is."))
    with transaction.atomic():
        # The challenge row first, as every review write does: a declaration and the automatic
        # recusal at a transition happen in one order, not interleaved.
        lock_challenge(challenge.pk)
        assignment = (
            ExpertAssignment.objects.select_for_update(of=("self",))
            .filter(challenge=challenge, expert=actor)
            .first()
        )
        if assignment is None:
            raise PermissionDenied(_("You are not assigned to review this challenge."))
        assignment.conflict_declared = True
        assignment.recused = True
        assignment.recusal_reason = reason
        assignment.save(update_fields=["conflict_declared", "recused", "recusal_reason"])
        audit_record(actor=actor, action=events.CONFLICT_DECLARED, target=challenge, ip_address=ip_address)
    return assignment


def score_submit(
    *, actor, bid: Bid, scores: list[dict], stage: str = Score.Stage.BID, ip_address: str | None = None
) -> list[Score]:
    """Record (or correct) the actor's scores of one bid.

    `scores` is [{"criterion": id, "value": 0-100, "comment": ""}, ...]."""
    if stage not in Score.Stage.values:
        raise ValidationError({"stage": _("Unknown review stage.")})
    with transaction.atomic():
        challenge, _now, state = lock_challenge(bid.challenge_id)
        if not permissions.can_review(actor, challenge, state):
            raise PermissionDenied(_("Only the assigned, non-recused experts score, while the review runs."))
        expected_state = State.UNDER_REVIEW if stage == Score.Stage.BID else State.IN_PROGRESS
        expected_bid = Bid.Status.SUBMITTED if stage == Score.Stage.BID else Bid.Status.WON
        bid = Bid.objects.get(pk=bid.pk)
        if state != expected_state or bid.status != expected_bid or bid.challenge_id != challenge.pk:
            raise ValidationError(_("This bid is not up for review at this stage."))
        criteria = {criterion.pk: criterion for criterion in challenge.criteria.all()}
        saved: list[Score] = []
        for row in scores:
            criterion: ReviewCriterion | None = criteria.get(row.get("criterion"))  # type: ignore[arg-type]
            if criterion is None:
                raise ValidationError({"criterion": _("Score this challenge's criteria only.")})
            try:
                value = Decimal(str(row.get("value")))
            except InvalidOperation:
                raise ValidationError({"value": _("A score is a number from 0 to 100.")}) from None
            if not Decimal("0") <= value <= Decimal("100"):
                raise ValidationError({"value": _("A score is a number from 0 to 100.")})
            score, _created = Score.objects.update_or_create(
                expert=actor,
                bid=bid,
                criterion=criterion,
                stage=stage,
                defaults={"value": value, "comment": optional_text(row.get("comment", ""), max_length=4000)},
            )
            saved.append(score)
        audit_record(
            actor=actor,
            action=events.BID_SCORED,
            target=bid,
            ip_address=ip_address,
            data={"stage": stage, "criteria": [score.criterion_id for score in saved]},
        )
    return saved


def _poster_side_bid(actor, bid: Bid, *, states) -> tuple[Bid, Challenge]:
    challenge, _now, state = lock_challenge(bid.challenge_id)
    if not permissions.can_manage_review(actor, challenge):
        raise PermissionDenied(_("Only the poster or a union admin over the unit may do this."))
    if state not in states:
        raise ValidationError(
            _("Not possible while the challenge is %(state)s.") % {"state": State(state).label}
        )
    bid = (
        Bid.objects.select_for_update(of=("self",))
        .select_related("studio__leader", "team__lead")
        .get(pk=bid.pk)
    )
    if not bid.is_active:
        raise ValidationError(_("This bid was withdrawn."))
    return bid, challenge


def bid_shortlist(*, actor, bid: Bid, shortlisted: bool, ip_address: str | None = None) -> Bid:
    with transaction.atomic():
        bid, _challenge = _poster_side_bid(actor, bid, states=permissions.SHORTLIST_STATES)
        bid.shortlisted = shortlisted
        bid.save(update_fields=["shortlisted", "updated_at"])
        audit_record(
            actor=actor,
            action=events.BID_SHORTLISTED,
            target=bid,
            ip_address=ip_address,
            data={"shortlisted": shortlisted},
        )
    return bid


def clarification_ask(*, actor, bid: Bid, question: str, ip_address: str | None = None) -> Clarification:
    question = required_text(question, field="question", message=_("Write the question."))
    with transaction.atomic():
        bid, challenge = _poster_side_bid(actor, bid, states=permissions.CLARIFY_STATES)
        clarification = Clarification.objects.create(bid=bid, asked_by=actor, question=question)
        audit_record(actor=actor, action=events.CLARIFICATION_ASKED, target=bid, ip_address=ip_address)
        with platform_language():
            notify(
                [bid.lead],
                kind=events.NOTICE_CLARIFICATION,
                title=lambda: _("The poster of “%(title)s” asks about your bid") % {"title": challenge.title},
                body=verbatim(question),
                url=challenge_url(challenge),
            )
    return clarification


def clarification_answer(
    *, actor, clarification: Clarification, answer: str, ip_address: str | None = None
) -> Clarification:
    answer = required_text(answer, field="answer", message=_("Write the answer."))
    with transaction.atomic():
        clarification = (
            Clarification.objects.select_for_update(of=("self",))
            .select_related("bid__challenge")
            .get(pk=clarification.pk)
        )
        bid = clarification.bid
        if not permissions.leads_bidder(actor, bid):
            raise PermissionDenied(_("Only the lead of the bidding studio or team may answer."))
        clarification.answer = answer
        clarification.answered_by = actor
        clarification.answered_at = timezone.now()
        clarification.save(update_fields=["answer", "answered_by", "answered_at"])
        audit_record(actor=actor, action=events.CLARIFICATION_ANSWERED, target=bid, ip_address=ip_address)
        with platform_language():
            notify(
                [clarification.asked_by],
                kind=events.NOTICE_CLARIFICATION_ANSWERED,
                title=lambda: (
                    _("A bidder answered your question on “%(title)s”") % {"title": bid.challenge.title}
                ),
                url=challenge_url(bid.challenge),
            )
    return clarification


def challenge_award(
    *,
    actor,
    challenge: Challenge,
    winners: list[Bid],
    rationale: str,
    feedback: dict[int, str] | None = None,
    ip_address: str | None = None,
) -> Challenge:
    """Award one bid, or several in a race (up to max_winners), with a written rationale. Every
    other active bid loses and its lead is told, with the poster's feedback if given. The winners'
    planned milestones become tracked milestones."""
    rationale = required_text(rationale, field="rationale", message=_("Write the rationale for the award."))
    feedback = {int(key): optional_text(text, max_length=4000) for key, text in (feedback or {}).items()}
    with transaction.atomic():
        challenge, now, state = lock_challenge(challenge.pk)
        bids = {
            bid.pk: bid
            for bid in challenge.bids.filter(status=Bid.Status.SUBMITTED).select_related(
                "studio__leader", "team__lead"
            )
        }
        winner_ids = list(dict.fromkeys(bid.pk for bid in winners))
        if any(pk not in bids for pk in winner_ids):
            raise ValidationError({"winners": _("Choose among this challenge's active bids.")})
        if not all(permissions.bidder_is_active(bids[pk]) for pk in winner_ids):
            raise ValidationError({"winners": _("A delisted studio or an archived team cannot be awarded.")})
        if not 1 <= len(winner_ids) <= challenge.max_winners:
            raise ValidationError(
                {"winners": _("Choose between 1 and %(max)d winners.") % {"max": challenge.max_winners}}
            )
        apply_transition(
            actor=actor,
            challenge=challenge,
            state=state,
            action=Action.AWARD,
            now=now,
            text=rationale,
            ip_address=ip_address,
        )
        challenge.award_rationale = rationale
        challenge.save(update_fields=["award_rationale"])
        milestones: list[Milestone] = []
        for bid in bids.values():
            won = bid.pk in winner_ids
            bid.status = Bid.Status.WON if won else Bid.Status.LOST
            bid.feedback = feedback.get(bid.pk, "")
            bid.save(update_fields=["status", "feedback", "updated_at"])
            if won:
                milestones += [
                    Milestone(
                        challenge=challenge,
                        bid=bid,
                        position=step.position,
                        title=step.title,
                        deliverable=step.deliverable,
                        due_date=step.due_date,
                        reward_due=step.reward_share,
                    )
                    for step in bid.plan_steps.all()
                ]
        Milestone.objects.bulk_create(milestones)
        with platform_language():
            for bid in bids.values():
                won = bid.status == Bid.Status.WON
                notify(
                    [bid.lead],
                    kind=events.NOTICE_BID_AWARDED if won else events.NOTICE_BID_NOT_AWARDED,
                    title=lambda: (
                        (
                            _("Your bid on “%(title)s” was awarded")
                            if won  # noqa: B023
                            else _("Your bid on “%(title)s” was not awarded")
                        )
                        % {"title": challenge.title}
                    ),
                    body=verbatim(rationale if won else bid.feedback),
                    url=challenge_url(challenge),
                )
    return challenge


def challenge_set_midterm(
    *, actor, challenge: Challenge, position: int, ip_address: str | None = None
) -> int:
    """Set the mid-term review of a race at the racing teams' milestone `position` (1, 2, …)."""
    with transaction.atomic():
        challenge, _now, state = lock_challenge(challenge.pk)
        refusal = permissions.midterm_point_refusal(actor, challenge, state)
        if refusal is not None:
            exception, message = refusal
            raise exception(message)
        racing = Milestone.objects.filter(challenge=challenge, bid__status=Bid.Status.WON)
        if not racing.filter(position=position).exists():
            raise ValidationError({"position": _("No racing team has a milestone at this position.")})
        racing.update(is_midterm=False)
        marked = racing.filter(position=position).update(is_midterm=True)
        audit_record(
            actor=actor,
            action=events.CHALLENGE_MIDTERM_SET,
            target=challenge,
            ip_address=ip_address,
            data={"position": position},
        )
    return marked


def challenge_midterm_review(
    *,
    actor,
    challenge: Challenge,
    continuing: list[Bid],
    ended: dict[int, str],
    ip_address: str | None = None,
) -> Challenge:
    """A race's mid-term review (末位淘汰): continue some winners, end the others with reasons.
    Ended teams keep their history (bids, milestones, reports); their open milestones are cancelled."""
    with transaction.atomic():
        challenge, now, state = lock_challenge(challenge.pk)
        refusal = permissions.midterm_review_refusal(actor, challenge, state)
        if refusal is not None:
            exception, message = refusal
            raise exception(message)
        racing = {
            bid.pk: bid
            for bid in permissions.winning_bids(challenge).select_related("studio__leader", "team__lead")
        }
        keep = {bid.pk for bid in continuing}
        end = {
            int(pk): required_text(reason, field="ended", message=_("Give a reason for each team ended."))
            for pk, reason in ended.items()
        }
        if keep & set(end) or (keep | set(end)) != set(racing):
            raise ValidationError(
                _("Decide for every team in the race: continue it or end it with a reason.")
            )
        if not keep:
            raise ValidationError(_("At least one team continues."))
        checkpoints = Milestone.objects.filter(bid__in=list(racing), is_midterm=True)
        handed_in = set(
            checkpoints.filter(
                status__in=[Milestone.Status.SUBMITTED, Milestone.Status.ACCEPTED]
            ).values_list("bid_id", flat=True)
        )
        awaited = {
            pk for pk, bid in racing.items() if permissions.midterm_needs_evidence(bid, ended=pk in end)
        }
        if not checkpoints.exists() or not awaited <= handed_in:
            raise ValidationError(
                _("The review is held once every racing team has handed in its mid-term evidence.")
            )
        for pk, reason in end.items():
            bid = racing[pk]
            bid.status = Bid.Status.ELIMINATED
            bid.elimination_reason = reason
            bid.save(update_fields=["status", "elimination_reason", "updated_at"])
            # Unfinished milestones are cancelled; their evidence stays on the rows (history).
            bid.milestones.exclude(status=Milestone.Status.ACCEPTED).update(status=Milestone.Status.CANCELLED)
            with platform_language():
                notify(
                    [bid.lead],
                    kind=events.NOTICE_BID_ELIMINATED,
                    title=lambda: (
                        _("Your team's work on “%(title)s” ends at the mid-term review")
                        % {"title": challenge.title}
                    ),
                    body=verbatim(reason),
                    url=challenge_url(challenge),
                )
        challenge.midterm_reviewed_at = now
        challenge.save(update_fields=["midterm_reviewed_at"])
        audit_record(
            actor=actor,
            action=events.CHALLENGE_MIDTERM_REVIEW,
            target=challenge,
            ip_address=ip_address,
            data={"continued": sorted(keep), "ended": end},
        )
    return challenge
