"""Conflict-of-interest recusal of assigned experts (the rule itself: permissions.conflict_reasons)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from platform_core.i18n import platform_language

from .. import events, permissions
from ..models import Bid, Challenge, ExpertAssignment
from .common import challenge_url, notify


def recuse(assignment: ExpertAssignment, reasons: list[str]) -> None:
    assignment.recused = True
    assignment.recusal_reason = "\n".join(reasons)
    assignment.save(update_fields=["recused", "recusal_reason"])
    challenge = assignment.challenge
    with platform_language():
        notify(
            [assignment.expert],
            kind=events.NOTICE_RECUSED,
            title=lambda: _("You are recused from reviewing “%(title)s”") % {"title": challenge.title},
            # Never the reasons: they name the conflicting bidders, and the expert may be a
            # competing bidder. The reasons stay on the assignment, for the poster side.
            body=lambda: _(
                "The conflict-of-interest check found a link between you and a bidder (the same "
                "unit, or a member of the bidding studio or team)."
            ),
            url=challenge_url(challenge),
        )


def refresh_recusals(challenge: Challenge) -> None:
    """Recuse the assigned experts who conflict with a bidder. Run only once bidding has closed:
    telling an expert why earlier would name a bidder while bids are sealed."""
    bids = list(challenge.bids.exclude(status=Bid.Status.WITHDRAWN).select_related("studio", "team__lead"))
    for assignment in challenge.expert_assignments.filter(recused=False).select_related("expert"):
        reasons = permissions.conflict_reasons(assignment.expert, bids)
        if reasons:
            recuse(assignment, reasons)
