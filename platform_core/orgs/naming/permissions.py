"""Who may see and do what in naming rounds. The one place these rules live.

- Levels rank national > industry > group > provincial > grassroots (the order of Studio.Level). A
  union admin acts at the highest level of their grants (a superuser at the national level) and
  opens rounds at that level or below. The admin who opened a round (or a superuser) runs it.
- A round's schedule and, once published, its named list (公示) are seen by every signed-in user.
- A studio is nominated by its leader or by a union admin over its unit, while nominations are
  open, if it is active, below the round's level and in the scope of the round's admin.
- A nomination's self-assessment is read by the round's admin, the studio's members, whoever
  nominated it, the union admins over the studio's unit and the panel's experts not recused from
  it; the studio's leader writes it.
- Scores are sealed: an expert sees their own; the round's admin sees every expert's once scoring
  is closed; the studio never sees an individual expert's score. The weighted totals and the
  ranking are the admin's once scoring is closed, and everyone's for the named list once published.
- An objection is read by its author and the round's admin, who answers it.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from platform_core.accounts.models import AdminGrant

from ..models import Studio
from ..permissions import admin_covers_unit, admin_scope_filter, my_studios
from .models import NamingRound, Nomination, Objection

LEVEL_RANK = {
    Studio.Level.NATIONAL: 4,
    Studio.Level.INDUSTRY: 3,
    Studio.Level.GROUP: 2,
    Studio.Level.PROVINCIAL: 1,
    Studio.Level.GRASSROOTS: 0,
}

PUBLISHED_STATUSES = (NamingRound.Status.NOTICE, NamingRound.Status.CONCLUDED)
# What the named list (公示) shows of a published round.
ON_THE_LIST = (Nomination.Status.NAMED, Nomination.Status.CONFERRED, Nomination.Status.PASSED)


def admin_level(user) -> str | None:
    """The highest level `user` acts at as a union admin (None for who is none)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Studio.Level.NATIONAL
    levels = set(AdminGrant.objects.filter(user=user).values_list("level", flat=True))
    return max(levels, key=lambda level: LEVEL_RANK[Studio.Level(level)], default=None)


def levels_below(level: str) -> list[str]:
    return [
        value
        for value in Studio.Level.values
        if LEVEL_RANK[Studio.Level(value)] < LEVEL_RANK[Studio.Level(level)]
    ]


def round_levels_for(user) -> list[str]:
    """The levels `user` may open a round at: their own and those below it, grassroots excepted."""
    own = admin_level(user)
    if own is None:
        return []
    return [value for value in (own, *levels_below(own)) if value != Studio.Level.GRASSROOTS]


def can_open_round(user, level: str | None = None) -> bool:
    levels = round_levels_for(user)
    return bool(levels) if level is None else level in levels


def can_manage_round(user, round: NamingRound) -> bool:
    return user.is_authenticated and (user.is_superuser or round.opened_by_id == user.pk)


def can_see_rounds(user) -> bool:
    return user.is_authenticated


def _today():
    return timezone.localdate()


# Nominations -------------------------------------------------------------------------------------


def eligible_studios(round: NamingRound):
    """The studios the round may name: active, below its level, in the scope of its admin, not yet
    nominated in it."""
    studios = Studio.objects.filter(status=Studio.Status.ACTIVE, level__in=levels_below(round.level)).exclude(
        nominations__round=round
    )
    opener = round.opened_by
    if not opener.is_superuser:
        studios = studios.filter(admin_scope_filter(opener))
    return studios


def nominatable_studios(user, round: NamingRound):
    """The eligible studios `user` may nominate now: those they lead, and those over whose unit they
    are a union admin."""
    if not nominations_open(round) or not user.is_authenticated:
        return Studio.objects.none()
    studios = eligible_studios(round)
    if user.is_superuser:
        return studios
    return studios.filter(Q(leader=user) | admin_scope_filter(user))


def nominations_open(round: NamingRound) -> bool:
    return (
        round.kind == NamingRound.Kind.NAMING
        and round.status == NamingRound.Status.NOMINATING
        and _today() <= round.nominations_close_on
    )


def can_nominate(user, round: NamingRound, studio: Studio) -> bool:
    return nominatable_studios(user, round).filter(pk=studio.pk).exists()


def assessment_readers_filter(user) -> Q:
    """The nominations whose self-assessment `user` reads, as a filter on Nomination: the round's
    admin, the studio's members, the nominator, the admins over the studio's unit, the panel's
    experts not recused from it."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q(pk__isnull=False)  # everything (an empty Q would vanish when OR-ed)
    on_panel = Q(
        pk__in=Nomination.objects.filter(round__experts=user).exclude(recusals__expert=user).values("pk")
    )
    return (
        Q(round__opened_by=user)
        | Q(studio__in=my_studios(user))
        | Q(nominated_by=user)
        | admin_scope_filter(user, "studio__unit")
        | on_panel
    )


def nominations_visible_filter(user) -> Q:
    """The nominations `user` sees: those whose self-assessment they read, and every nomination on
    a published named list (the notice is for all signed-in users)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return assessment_readers_filter(user) | Q(round__status__in=PUBLISHED_STATUSES, status__in=ON_THE_LIST)


def can_see_nomination(user, nomination: Nomination) -> bool:
    return Nomination.objects.filter(nominations_visible_filter(user), pk=nomination.pk).exists()


def can_read_assessment(user, nomination: Nomination) -> bool:
    return Nomination.objects.filter(assessment_readers_filter(user), pk=nomination.pk).exists()


def can_edit_assessment(user, nomination: Nomination) -> bool:
    round = nomination.round
    return (
        user.is_authenticated
        and nomination.studio.leader_id == user.pk
        and nomination.status == Nomination.Status.NOMINATED
        and round.status == NamingRound.Status.NOMINATING
        and _today() <= round.assessment_close_on
    )


# Scoring -----------------------------------------------------------------------------------------


def on_panel(user, round: NamingRound) -> bool:
    return user.is_authenticated and round.experts.filter(pk=user.pk).exists()


def is_recused(user, nomination: Nomination) -> bool:
    return nomination.recusals.filter(expert=user).exists()


def can_score(user, nomination: Nomination) -> bool:
    return (
        nomination.round.status == NamingRound.Status.SCORING
        and nomination.status == Nomination.Status.SUBMITTED
        and on_panel(user, nomination.round)
        and not is_recused(user, nomination)
    )


def can_see_all_scores(user, round: NamingRound) -> bool:
    """Every expert's scores, the totals and the ranking: the round's admin, once scoring is closed."""
    return round.status not in (
        NamingRound.Status.NOMINATING,
        NamingRound.Status.SCORING,
    ) and can_manage_round(user, round)


def can_run(user, round: NamingRound, status: str) -> bool:
    return round.status == status and can_manage_round(user, round)


# Notice and objections ---------------------------------------------------------------------------


def notice_running(round: NamingRound) -> bool:
    return round.status == NamingRound.Status.NOTICE and _today() <= round.notice_ends_on


def can_object(user, nomination: Nomination) -> bool:
    return (
        user.is_authenticated
        and nomination.status == Nomination.Status.NAMED
        and notice_running(nomination.round)
        and not can_manage_round(user, nomination.round)
    )


def objections_visible_filter(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q(pk__isnull=False)  # everything (an empty Q would vanish when OR-ed)
    return Q(author=user) | Q(nomination__round__opened_by=user)


def can_see_objection(user, objection: Objection) -> bool:
    return Objection.objects.filter(objections_visible_filter(user), pk=objection.pk).exists()


def can_answer_objection(user, objection: Objection) -> bool:
    round = objection.nomination.round
    return (
        objection.status == Objection.Status.OPEN
        and round.status == NamingRound.Status.NOTICE
        and can_manage_round(user, round)
    )


def confer_refusal(round: NamingRound) -> str:
    """Why the titles may not be conferred yet ("" when they may)."""
    from django.utils.translation import gettext as _

    if round.status != NamingRound.Status.NOTICE:
        return _("The results are not under public notice.")
    if _today() <= round.notice_ends_on:
        return _("The public notice runs until %(date)s.") % {"date": round.notice_ends_on.isoformat()}
    if Objection.objects.filter(nomination__round=round, status=Objection.Status.OPEN).exists():
        return _("Every objection must be answered first.")
    return ""


def can_confer(user, round: NamingRound) -> bool:
    return can_manage_round(user, round) and not confer_refusal(round)


# Titles ------------------------------------------------------------------------------------------


def can_see_titles(user) -> bool:
    """Titles and their certificates are public to signed-in users, like the studio directory."""
    return user.is_authenticated


def can_revoke_title(user, studio: Studio) -> bool:
    return admin_covers_unit(user, studio.unit)
