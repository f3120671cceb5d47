"""Who may see and do what in the showcase. The one place these rules live.

- An achievement is edited by its owner's lead (the studio's leader or the team's lead) while it
  is a draft (or sent back), published or sent back by a union admin over its unit, withdrawn by
  either. Anyone sees a published achievement; a draft, a submitted or a withdrawn one is seen
  only by the owner's members and the admins over its unit (never anonymously).
- Rounds are opened by union admins; the admin who opened one (or a superuser) runs it; its panel
  scores, except where the platform's conflict rule (platform_core.conflicts) recuses an expert
  from an entry.
- A round's ranking (totals and ranks) is seen by whoever runs the round while it is scored, and
  by everyone once the results are published; its panel scores without seeing the others' totals.
- A transfer listing is public, but its contact details (phone and e-mail) are not: they are seen
  by the owner's members, the admins over the achievement's unit, and an inquirer whose inquiry the
  owner has taken up (in discussion or agreed). Everyone else reaches the owner through an inquiry
  and its negotiation thread, so the owner is not canvassed by whoever opens the page.
- An inquiry is private to the inquirer and the owner's lead.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from alliances.models import Team
from alliances.owners import owner_party
from alliances.permissions import is_team_member
from platform_core.conflicts import conflict_reasons
from platform_core.orgs.models import Studio
from platform_core.orgs.permissions import (
    admin_covers_unit,
    is_studio_member,
    is_union_admin,
)

from .models import Achievement, Inquiry, Round, RoundEntry, TransferListing


def leads(user, *, studio: Studio | None = None, team: Team | None = None) -> bool:
    if not user.is_authenticated:
        return False
    if studio is not None:
        return studio.leader_id == user.pk
    return team is not None and team.lead_id == user.pk


def may_create_for(user, *, studio: Studio | None = None, team: Team | None = None) -> bool:
    if (studio is None) == (team is None):
        return False
    if studio is not None:
        return leads(user, studio=studio) and studio.is_active
    assert team is not None
    return leads(user, team=team) and team.is_open


def is_owner_lead(user, achievement: Achievement) -> bool:
    return user.is_authenticated and achievement.owner_lead_id == user.pk


def belongs_to_owner(user, achievement: Achievement) -> bool:
    if not user.is_authenticated:
        return False
    if achievement.studio is not None:
        return is_studio_member(user, achievement.studio)
    return achievement.team is not None and is_team_member(user, achievement.team)


def can_moderate(user, achievement: Achievement) -> bool:
    """Publish, send back, withdraw: a union admin over the achievement's unit."""
    return admin_covers_unit(user, achievement.unit)


def can_view_achievement(user, achievement: Achievement) -> bool:
    if achievement.is_published:
        return True
    return belongs_to_owner(user, achievement) or can_moderate(user, achievement)


def can_publish_achievement(user, achievement: Achievement) -> bool:
    """Publish or send back: an admin over the unit, while the achievement awaits publication."""
    return achievement.state == Achievement.State.SUBMITTED and can_moderate(user, achievement)


def has_personal_showcase(user) -> bool:
    """Whether the showcase offers `user` their own achievements and inquiries."""
    return user.is_authenticated


def can_edit_achievement(user, achievement: Achievement) -> bool:
    return is_owner_lead(user, achievement) and achievement.state == Achievement.State.DRAFT


def can_submit_achievement(user, achievement: Achievement) -> bool:
    return can_edit_achievement(user, achievement)


def can_withdraw_achievement(user, achievement: Achievement) -> bool:
    if achievement.state not in (Achievement.State.SUBMITTED, Achievement.State.PUBLISHED):
        return False
    return is_owner_lead(user, achievement) or can_moderate(user, achievement)


def can_add_file(user, achievement: Achievement) -> bool:
    return is_owner_lead(user, achievement) and achievement.state != Achievement.State.WITHDRAWN


def can_remove_file(user, achievement: Achievement) -> bool:
    """The lead who may add files, or an admin over the unit (who can take down an unfit picture)."""
    return can_add_file(user, achievement) or can_moderate(user, achievement)


def can_list_for_transfer(user, achievement: Achievement) -> bool:
    return is_owner_lead(user, achievement) and achievement.is_published


# Rounds ------------------------------------------------------------------------------------------


def can_open_round(user) -> bool:
    return is_union_admin(user)


def can_manage_round(user, round: Round) -> bool:
    return user.is_authenticated and (user.is_superuser or round.opened_by_id == user.pk)


def on_panel(user, round: Round) -> bool:
    return user.is_authenticated and round.experts.filter(pk=user.pk).exists()


def rounds_visible_filter(user) -> Q:
    """Published results are public; a running or closed round is for its managers (who opened
    it, superusers) and its panel. The one statement of the rule, as a filter on Round."""
    if user.is_authenticated and user.is_superuser:
        return Q()
    visible = Q(status=Round.Status.PUBLISHED)
    if user.is_authenticated:
        panels = Round.experts.through.objects.filter(user=user).values("round_id")
        visible |= Q(opened_by=user) | Q(pk__in=panels)
    return visible


def can_see_round(user, round: Round) -> bool:
    """`rounds_visible_filter` asked about one round (one query): published results are public; a
    running round is for its managers and its panel."""
    return Round.objects.filter(rounds_visible_filter(user), pk=round.pk).exists()


def can_see_ranking(user, round: Round) -> bool:
    """The totals and ranks: whoever runs the round, and everyone once the results are published
    (the panel does not see the others' totals while it scores)."""
    return round.status == Round.Status.PUBLISHED or can_manage_round(user, round)


def can_score_round(user, round: Round) -> bool:
    """Whether the page offers `user` the scoring of the round's entries (recusals per entry)."""
    return round.status == Round.Status.OPEN and on_panel(user, round)


def can_run_round(user, round: Round) -> bool:
    """Add experts and entries, close scoring: who manages the round, while scoring is open."""
    return round.status == Round.Status.OPEN and can_manage_round(user, round)


def can_publish_results(user, round: Round) -> bool:
    return round.status == Round.Status.CLOSED and can_manage_round(user, round)


def round_conflicts(expert, achievement: Achievement) -> list[str]:
    """Why `expert` may not score this entry, naming the owner: the recusal record."""
    party = owner_party(studio=achievement.studio, team=achievement.team)
    return conflict_reasons(expert, [party], named=True)


def can_score(user, entry: RoundEntry) -> bool:
    return (
        entry.round.status == Round.Status.OPEN
        and on_panel(user, entry.round)
        and not entry.recusals.filter(expert=user).exists()
    )


# Transfer ----------------------------------------------------------------------------------------


def inquiry_refusal(user, listing: TransferListing) -> str:
    """Why `user` may not send an inquiry about this listing, or "" when they may."""
    if not user.is_authenticated:
        return _("Log in to send an inquiry.")
    if not listing.is_active or not listing.achievement.is_published:
        return _("This listing is not open to inquiries.")
    if belongs_to_owner(user, listing.achievement):
        return _("You belong to the achievement's owner.")
    return ""


def inquiry_needs_login(user) -> bool:
    return not user.is_authenticated


def can_see_listing_contact(user, listing: TransferListing) -> bool:
    """The listing's phone and e-mail: the owner's members, the admins over the unit, and an
    inquirer whose inquiry about this listing the owner has taken up (in discussion or agreed)."""
    if not user.is_authenticated:
        return False
    achievement = listing.achievement
    if belongs_to_owner(user, achievement) or can_moderate(user, achievement):
        return True
    return listing.inquiries.filter(
        inquirer=user, status__in=(Inquiry.Status.DISCUSSING, Inquiry.Status.AGREED)
    ).exists()


def is_inquiry_owner(user, inquiry: Inquiry) -> bool:
    return is_owner_lead(user, inquiry.listing.achievement)


def inquiries_of_filter(user) -> Q:
    """The inquiries `user` takes part in: sent, or about an achievement whose owner they lead
    (`is_inquiry_owner`). The one statement of the rule, as a filter on Inquiry."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return (
        Q(inquirer=user)
        | Q(listing__achievement__studio__leader=user)
        | Q(listing__achievement__team__lead=user)
    )


def can_see_inquiry(user, inquiry: Inquiry) -> bool:
    """`inquiries_of_filter` asked about one inquiry (the inquirer answers without a query)."""
    if not user.is_authenticated:
        return False
    return (
        inquiry.inquirer_id == user.pk
        or Inquiry.objects.filter(inquiries_of_filter(user), pk=inquiry.pk).exists()
    )


def can_change_inquiry_status(user, inquiry: Inquiry, status: str) -> bool:
    """The owner takes it up, agrees or declines; the inquirer may only decline (withdraw)."""
    if inquiry.status in (Inquiry.Status.AGREED, Inquiry.Status.DECLINED):
        return False
    if is_inquiry_owner(user, inquiry):
        return status != inquiry.status and status != Inquiry.Status.NEW
    return inquiry.inquirer_id == user.pk and status == Inquiry.Status.DECLINED


def inquiry_statuses(user, inquiry: Inquiry) -> list[tuple[str, str]]:
    """The statuses `user` may move the inquiry to now, as (value, label)."""
    return [
        (value, str(label))
        for value, label in Inquiry.Status.choices
        if can_change_inquiry_status(user, inquiry, value)
    ]


def can_record_case(user, inquiry: Inquiry) -> bool:
    return inquiry.status == Inquiry.Status.AGREED and can_see_inquiry(user, inquiry)
