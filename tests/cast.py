"""The fixed cast every permission test uses (the healthchecks alice/bob/charlie habit).

Two groups: G (units A and B) and H (unit C). studio1 is led by leader1 in A with `member` in it;
studio2 is led by leader2 in B and competes with studio1. `admin` is a union admin over group G only,
`admin2` over group H only; `superadmin` runs the whole platform. `poster` posts for A, `poster2` for
C. Three experts sit on a committee: `expert` (unit B), `panelist` (unit C, linked to no studio) and
`recused` (unit A, studio1's unit). Who sits on which panel is relative to a challenge or a round: a
test assigns `panelist` and `recused` through the services, and the conflict-of-interest check
recuses `recused` wherever studio1 bids or owns the achievement; `expert` is then the expert not on
the panel. `outsider` works in C and belongs to nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from platform_core.accounts.models import AdminGrant, ExpertProfile, PosterGrant
from platform_core.orgs.models import Studio, StudioMembership, Unit
from platform_core.orgs.services import studio_create
from platform_core.realtime.models import Event

# Every role of the cast, and who may do what to studio1 (unit A, group G, led by leader1, with
# `member` in it). Parametrise permission tests with these, never with a list typed again.
ROLES = (
    "superadmin",
    "admin",
    "admin2",
    "poster",
    "poster2",
    "leader1",
    "leader2",
    "member",
    "expert",
    "panelist",
    "recused",
    "outsider",
)
# Who administers unit A (studio1's unit): `admin2` is a union admin too, over another group.
ADMINS = ("superadmin", "admin")
UNION_ADMINS = (*ADMINS, "admin2")
EXPERTS = ("expert", "panelist", "recused")
EDITORS = (*ADMINS, "leader1")
LIVE_FOLLOWERS = (*EDITORS, "member")


def every_role_except(*excluded: str | Iterable[str]) -> list[str]:
    """The cast's roles but these: `every_role_except(EDITORS, "member")`."""
    left_out: set[str] = set()
    for item in excluded:
        left_out.update([item] if isinstance(item, str) else item)
    return [role for role in ROLES if role not in left_out]


@dataclass
class Cast:
    group_g: Unit
    group_h: Unit
    unit_a: Unit
    unit_b: Unit
    unit_c: Unit
    superadmin: object
    admin: object
    admin2: object
    poster: object
    poster2: object
    leader1: object
    leader2: object
    member: object
    expert: object
    panelist: object
    recused: object
    outsider: object
    studio1: Studio
    studio2: Studio
    # Naming the studios through the service stored events (the leaders' notifications): a test
    # that counts events compares with this.
    setup_events: int

    def everyone(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in ROLES}


FOUNDED = datetime.date(2024, 1, 1)


def name_studio(actor, **fields) -> Studio:
    """A studio named through the service, as the admin does: its leader is a member from the start."""
    fields.setdefault("founded_on", FOUNDED)
    return studio_create(actor=actor, studio=Studio(**fields))


def make_cast() -> Cast:
    User = get_user_model()
    group_g = Unit.objects.create(name="集团G", kind=Unit.Kind.GROUP, region="北京")
    group_h = Unit.objects.create(name="集团H", kind=Unit.Kind.GROUP, region="上海")
    unit_a = Unit.objects.create(
        name="单位A", parent=group_g, headcount=900, has_union_committee=True, region="北京"
    )
    unit_b = Unit.objects.create(
        name="单位B", parent=group_g, headcount=400, has_union_committee=True, region="北京"
    )
    unit_c = Unit.objects.create(
        name="单位C", parent=group_h, headcount=350, has_union_committee=True, region="上海"
    )

    def user(username: str, unit: Unit | None, **extra):
        return User.objects.create_user(
            username=username, password="pw-for-tests", unit=unit, display_name=username.upper(), **extra
        )

    superadmin = user("superadmin", None, is_superuser=True, is_staff=True)
    admin = user("admin", None)
    AdminGrant.objects.create(user=admin, group=group_g)
    admin2 = user("admin2", None)
    AdminGrant.objects.create(user=admin2, group=group_h)
    poster = user("poster", unit_a)
    PosterGrant.objects.create(user=poster, unit=unit_a)
    poster2 = user("poster2", unit_c)
    PosterGrant.objects.create(user=poster2, unit=unit_c)
    leader1 = user("leader1", unit_a, birth_year=1975)
    leader2 = user("leader2", unit_b, birth_year=1980)
    member = user("member", unit_a, birth_year=1996)
    expert = user("expert", unit_b)
    panelist = user("panelist", unit_c)
    recused = user("recused", unit_a)
    ExpertProfile.objects.bulk_create(
        ExpertProfile(user=each, committee=ExpertProfile.Committee.TECHNICAL, fields=["焊接"])
        for each in (expert, panelist, recused)
    )
    outsider = user("outsider", unit_c)
    studio1 = name_studio(
        superadmin,
        name="一号工作室",
        unit=unit_a,
        type=Studio.Type.SKILL,
        level=Studio.Level.GROUP,
        leader=leader1,
    )
    studio2 = name_studio(
        superadmin,
        name="二号工作室",
        unit=unit_b,
        type=Studio.Type.RESEARCH,
        level=Studio.Level.GRASSROOTS,
        leader=leader2,
    )
    StudioMembership.objects.create(
        studio=studio1, user=member, role=StudioMembership.Role.MEMBER, joined_on=FOUNDED
    )
    return Cast(
        group_g,
        group_h,
        unit_a,
        unit_b,
        unit_c,
        superadmin,
        admin,
        admin2,
        poster,
        poster2,
        leader1,
        leader2,
        member,
        expert,
        panelist,
        recused,
        outsider,
        studio1,
        studio2,
        setup_events=Event.objects.count(),
    )
