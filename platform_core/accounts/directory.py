"""Accounts from an enterprise directory, whatever the directory: one service for every source.

A sign-in backend reads a person from its directory into a `DirectoryIdentity` and hands it to
`directory_sign_in`; everything after that is decided here, once, for LDAP / Active Directory
(platform_core/accounts/ldap_backend.py) and OpenID Connect alike.

    identity = DirectoryIdentity(
        source=User.Source.LDAP,       # or User.Source.OIDC
        external_id="5f0c…",           # the directory's stable id: entryUUID, objectGUID, OIDC `sub`
        username="zhangwei",           # the login name (lower-cased here)
        display_name="张伟", email="zhangwei@corp.example", unit_name="网络运营部",
        job_title="工程师", phone="010-8888 1234", groups=frozenset({"jbgs-posters"}),
    )
    user = directory_sign_in(identity, ip_address=client_ip(request))   # or DirectoryRefusal

`directory_sign_in(identity, *, ip_address=None) -> User`
    Finds the account by (source, external id); creates it on first sign-in (no local password:
    `set_unusable_password`, so Django's password reset leaves it alone), refreshes its profile from
    the identity, places it in the platform unit the directory names (`DIRECTORY_UNIT_MAP` maps a
    directory's unit code or name to a platform unit's name, when they differ; an unknown unit
    leaves the account's unit as it was), applies the group → grant table and returns the active
    user. An account the periodic re-check had dropped is enabled again. Raises `DirectoryRefusal`
    (with a `code`) when the person may not sign in:
      - "clash": another account (a local one, or one from another directory or person) holds the
        username: a directory never takes over an account; audited as `directory.clash_refused`;
      - "inactive": the account was disabled by hand.
`directory_refresh(user, identity, *, now=None) -> User`
    The same refresh for an account the directory still returns (the periodic re-check).
`directory_drop(user, *, now=None) -> bool`
    Disables an account the directory no longer returns (through the accounts service: its
    sessions, websockets and API token end); False if it was disabled already.
`directory_recheck(*, source, lookup, now, every_seconds, limit) -> dict[str, int]`
    The periodic step's body: re-checks the active accounts of `source` not seen for
    `every_seconds` with `lookup(user) -> DirectoryIdentity | None` (None: no longer returned;
    raises `DirectoryUnavailable` when the directory cannot answer, and nothing is dropped then).
`mark_directory_unavailable(request)`, `mark_directory_problem(request, code)`,
`directory_unavailable(request) -> bool`, `directory_problem_message(request) -> str | None`
    A backend that could not reach its directory, or whose person was refused, marks the request,
    so the login page and the token endpoint say so instead of "wrong username or password".

The group → grant table (settings.DIRECTORY_GROUP_GRANTS, from JSON; docs/deployment.md) maps a
directory group's name (case-insensitive) to a list of grants:
    {"grant": "admin", "group": "<unit name>", "region": "", "level": "group"}   union admin (AdminGrant)
    {"grant": "poster", "unit": "<unit name>"}     poster for that unit, or the person's own unit
                                                   when "unit" is left out (PosterGrant)
    {"grant": "expert", "committee": "technical"}  expert on a committee (ExpertProfile)
Grants the table gives are marked `from_directory`; at each sign-in and re-check the directory
gives what its groups now map to and takes back only what it gave. A grant made by hand is never
taken back, nor turned into a directory one. Every grant given or taken is audited.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platform_core.audit.services import audit_record
from platform_core.orgs.models import Unit
from platform_core.text import clean_line

from . import events
from .models import AdminGrant, ExpertProfile, PosterGrant, User, phone_validator
from .services import user_set_active_by_platform

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class DirectoryIdentity:
    """A person as a directory describes them; every text is optional but the first three."""

    source: str  # User.Source.LDAP or User.Source.OIDC
    external_id: str
    username: str
    first_name: str = ""
    last_name: str = ""
    display_name: str = ""
    email: str = ""
    unit_name: str = ""
    unit_code: str = ""
    job_title: str = ""
    phone: str = ""
    groups: frozenset[str] = frozenset()


class DirectoryRefusal(Exception):
    """The directory vouched for the person, but the platform does not let them in."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class DirectoryUnavailable(Exception):
    """The directory could not be asked (down, unreachable, or refusing the service account)."""


# The request attribute a backend sets when a directory sign-in went wrong other than by a wrong
# password: "unavailable", or a DirectoryRefusal's code.
_PROBLEM = "_directory_problem"


def mark_directory_problem(request, code: str) -> None:
    if request is not None:
        # A DRF Request wraps Django's: mark the one both sides see.
        setattr(getattr(request, "_request", request), _PROBLEM, code)


def directory_problem(request) -> str | None:
    return getattr(getattr(request, "_request", request), _PROBLEM, None)


def mark_directory_unavailable(request) -> None:
    mark_directory_problem(request, "unavailable")


def directory_unavailable(request) -> bool:
    return directory_problem(request) == "unavailable"


def directory_problem_message(request) -> str | None:
    """What the login page says instead of "wrong username or password", if anything."""
    code = directory_problem(request)
    return str(PROBLEM_MESSAGES[code]) if code in PROBLEM_MESSAGES else None


# ---------------------------------------------------------------------------------------------
# Sign-in and refresh


def directory_sign_in(identity: DirectoryIdentity, *, ip_address: str | None = None) -> User:
    """Create or refresh the account of `identity` and return it, active (module docstring)."""
    if not identity.external_id or not identity.username:
        raise DirectoryRefusal("incomplete", "the directory gave no id or no username")
    now = timezone.now()
    username = _username(identity)
    try:
        with transaction.atomic():
            user = (
                User.objects.select_for_update()
                .filter(directory_source=identity.source, directory_id=identity.external_id)
                .first()
            )
            holder = (
                User.objects.filter(username__iexact=username)
                .exclude(directory_source=identity.source, directory_id=identity.external_id)
                .first()
            )
            if holder is not None:
                raise _Clash(holder)
            if user is None:
                user = _create(identity, username, ip_address)
            elif not user.is_active:
                if user.directory_dropped_at is None:
                    raise DirectoryRefusal("inactive", "the account was disabled on the platform")
                user_set_active_by_platform(
                    user=user,
                    active=True,
                    action=events.DIRECTORY_ACCOUNT_RESTORED,
                    ip_address=ip_address,
                    data={"source": identity.source},
                    also={"directory_dropped_at": None},
                )
            _refresh(user, identity, username=username, now=now, ip_address=ip_address)
    except _Clash as clash:
        # Recorded after the sign-in's transaction was rolled back, so the entry stays.
        _record_clash(identity, clash.holder, ip_address)
        raise
    except IntegrityError as exc:
        # Two first sign-ins of one person at once: the other one created the account.
        raise DirectoryRefusal("retry", "the account is being created; sign in again") from exc
    except ImproperlyConfigured as exc:
        # A broken grant table must not hand out wrong grants, nor answer a 500 (manage.py check
        # reports it too).
        logger.error("directory sign-in refused: %s", exc)
        raise DirectoryRefusal("misconfigured", str(exc)) from exc
    return user


def directory_refresh(
    user: User, identity: DirectoryIdentity, *, now: datetime.datetime | None = None
) -> User:
    """Refresh an account the directory still returns (the periodic re-check). A new username held
    by another account is left for the next sign-in to refuse."""
    username = _username(identity)
    if User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        username = user.username
    with transaction.atomic():
        _refresh(user, identity, username=username, now=now or timezone.now(), ip_address=None)
    return user


def directory_drop(user: User, *, now: datetime.datetime | None = None) -> bool:
    """Disable an account its directory no longer returns: its sessions, websockets and API token
    end (accounts/signals.py); it comes back when the directory returns the person at a sign-in."""
    if not user.is_active:
        return False
    return user_set_active_by_platform(
        user=user,
        active=False,
        action=events.DIRECTORY_ACCOUNT_DROPPED,
        data={"source": user.directory_source},
        also={"directory_dropped_at": now or timezone.now()},
    )


def directory_recheck(
    *,
    source: str,
    lookup: Callable[[User], DirectoryIdentity | None],
    now: datetime.datetime,
    every_seconds: int,
    limit: int,
) -> dict[str, int]:
    """Re-check the active accounts of `source` not seen for `every_seconds`, the longest unseen
    first, at most `limit` of them: refresh those still returned, drop the others. Stops at the first
    `DirectoryUnavailable`, dropping nobody for it."""
    counts = {"rechecked": 0, "dropped": 0, "unavailable": 0}
    due = (
        User.objects.filter(directory_source=source, is_active=True)
        .filter(
            Q(directory_seen_at__isnull=True)
            | Q(directory_seen_at__lt=now - datetime.timedelta(seconds=every_seconds))
        )
        .order_by("directory_seen_at", "pk")
    )
    for user in due[:limit]:
        try:
            identity = lookup(user)
        except DirectoryUnavailable:
            logger.warning("directory re-check of %s accounts stopped: the directory is unavailable", source)
            counts["unavailable"] = 1
            break
        if identity is None or identity.external_id != user.directory_id:
            counts["dropped"] += directory_drop(user, now=now)
        else:
            directory_refresh(user, identity, now=now)
            counts["rechecked"] += 1
    return counts


def _username(identity: DirectoryIdentity) -> str:
    max_length = User._meta.get_field("username").max_length
    return clean_line(identity.username, max_length=max_length).lower()


class _Clash(DirectoryRefusal):
    def __init__(self, holder: User) -> None:
        super().__init__("clash", f"the username {holder.username!r} belongs to another account")
        self.holder = holder


def _record_clash(identity: DirectoryIdentity, holder: User, ip_address: str | None) -> None:
    audit_record(
        actor=None,
        action=events.DIRECTORY_CLASH_REFUSED,
        target=holder,
        ip_address=ip_address,
        data={"source": identity.source, "external_id": identity.external_id, "username": identity.username},
    )
    logger.warning(
        "directory sign-in refused: %s account %r would take over the existing account %r",
        identity.source,
        identity.external_id,
        holder.username,
    )


def _create(identity: DirectoryIdentity, username: str, ip_address: str | None) -> User:
    user = User(username=username, directory_source=identity.source, directory_id=identity.external_id)
    user.set_unusable_password()
    user.save()
    audit_record(
        actor=None,
        action=events.DIRECTORY_ACCOUNT_CREATED,
        target=user,
        ip_address=ip_address,
        data={"source": identity.source, "external_id": identity.external_id},
    )
    return user


def _profile_from(identity: DirectoryIdentity) -> dict[str, Any]:
    def line(field: str, value: str) -> str:
        return clean_line(value or "", max_length=getattr(User._meta.get_field(field), "max_length", None))

    values: dict[str, Any] = {
        field: line(field, getattr(identity, field))
        for field in ("first_name", "last_name", "display_name", "job_title")
    }
    email = line("email", identity.email)
    phone = line("phone", identity.phone)
    for field, value, check in (("email", email, validate_email), ("phone", phone, phone_validator)):
        try:
            if value:
                check(value)
        except ValidationError:
            logger.info("directory %s of %s ignored: %r is not valid", field, identity.username, value)
            value = ""
        values[field] = value
    return values


def _unit_for(identity: DirectoryIdentity) -> Unit | None:
    table: Mapping[str, str] = settings.DIRECTORY_UNIT_MAP
    for key in (identity.unit_code, identity.unit_name):
        if key and key in table:
            return Unit.objects.filter(name=table[key]).first()
    return Unit.objects.filter(name=identity.unit_name).first() if identity.unit_name else None


def _refresh(
    user: User, identity: DirectoryIdentity, *, username: str, now: datetime.datetime, ip_address: str | None
) -> None:
    changed: list[str] = []
    values = _profile_from(identity)
    values["username"] = username
    unit = _unit_for(identity)
    if unit is not None:
        values["unit_id"] = unit.pk
    elif identity.unit_name or identity.unit_code:
        unknown = identity.unit_name or identity.unit_code
        logger.info("directory unit %r of %s matches no unit", unknown, username)
    for field, value in values.items():
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field.removesuffix("_id"))
    user.directory_seen_at = now
    user.save(update_fields=[*changed, "directory_seen_at"])
    if changed:
        audit_record(
            actor=None,
            action=events.DIRECTORY_PROFILE_REFRESHED,
            target=user,
            ip_address=ip_address,
            data={"source": identity.source, "fields": sorted(changed)},
        )
    _sync_grants(user, identity, ip_address)


# ---------------------------------------------------------------------------------------------
# Group → grant table


@dataclasses.dataclass(frozen=True)
class GrantRule:
    kind: str  # "admin" | "poster" | "expert"
    unit: str = ""  # admin: the group's unit name; poster: the unit's name ("" = the person's own)
    region: str = ""
    level: str = AdminGrant.Level.GROUP
    committee: str = ""


GRANT_KINDS = ("admin", "poster", "expert")


def check_grant_table(app_configs=None, **kwargs) -> list:
    """A system check (manage.py check): the table is read as a sign-in would read it."""
    from django.core.checks import Error

    try:
        grant_table()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="accounts.E001")]
    return []


def grant_table(raw: object | None = None) -> dict[str, list[GrantRule]]:
    """The group → grant table of settings.DIRECTORY_GROUP_GRANTS (or `raw`), checked: keys
    case-folded; ImproperlyConfigured names what is wrong."""
    raw = settings.DIRECTORY_GROUP_GRANTS if raw is None else raw
    if not isinstance(raw, Mapping):
        raise ImproperlyConfigured("DIRECTORY_GROUP_GRANTS must map directory group names to lists of grants")
    table: dict[str, list[GrantRule]] = {}
    for group, grants in raw.items():
        if not isinstance(grants, list) or not all(isinstance(grant, Mapping) for grant in grants):
            raise ImproperlyConfigured(f"DIRECTORY_GROUP_GRANTS[{group!r}] must be a list of objects")
        rules = table.setdefault(str(group).casefold(), [])
        for grant in grants:
            rules.append(_rule(group, grant))
    return table


def _rule(group: str, grant: Mapping) -> GrantRule:
    kind = grant.get("grant")
    where = f"DIRECTORY_GROUP_GRANTS[{group!r}]"
    known = {"grant", "group", "unit", "region", "level", "committee"}
    if kind not in GRANT_KINDS:
        raise ImproperlyConfigured(f"{where}: 'grant' must be one of {', '.join(GRANT_KINDS)}")
    if set(grant) - known:
        raise ImproperlyConfigured(f"{where}: unknown keys {sorted(set(grant) - known)}")
    if kind == "admin":
        level = grant.get("level", AdminGrant.Level.GROUP)
        if level not in AdminGrant.Level.values:
            levels = ", ".join(AdminGrant.Level.values)
            raise ImproperlyConfigured(f"{where}: 'level' must be one of {levels}")
        rule = GrantRule("admin", unit=grant.get("group", ""), region=grant.get("region", ""), level=level)
        if not (rule.unit or rule.region or level == AdminGrant.Level.NATIONAL):
            raise ImproperlyConfigured(
                f"{where}: an admin grant needs a 'group', a 'region' or national level"
            )
        return rule
    if kind == "poster":
        return GrantRule("poster", unit=grant.get("unit", ""))
    committee = grant.get("committee")
    if committee not in ExpertProfile.Committee.values:
        raise ImproperlyConfigured(
            f"{where}: 'committee' must be one of {', '.join(ExpertProfile.Committee.values)}"
        )
    return GrantRule("expert", committee=committee)


def _rules_for(groups: Iterable[str]) -> list[GrantRule]:
    table = grant_table()
    rules: list[GrantRule] = []
    for group in sorted({group.casefold() for group in groups}):
        rules.extend(rule for rule in table.get(group, []) if rule not in rules)
    return rules


def _units_named(names: Iterable[str]) -> dict[str, Unit]:
    wanted = set(names)
    if not wanted:
        return {}
    units = {unit.name: unit for unit in Unit.objects.filter(name__in=wanted)}
    for name in wanted - set(units):
        logger.warning("DIRECTORY_GROUP_GRANTS names the unit %r, which does not exist", name)
    return units


def _sync_grants(user: User, identity: DirectoryIdentity, ip_address: str | None) -> None:
    rules = _rules_for(identity.groups)
    units = _units_named(rule.unit for rule in rules if rule.unit)

    def record(action: str, grant: str, **details) -> None:
        audit_record(
            actor=None,
            action=action,
            target=user,
            ip_address=ip_address,
            data={"source": identity.source, "grant": grant, **details},
        )

    # Union admin: one grant per (group, region); the level follows the table.
    wanted_admin: dict[tuple[int | None, str], str] = {}
    for rule in rules:
        if rule.kind == "admin" and (not rule.unit or rule.unit in units):
            group = units[rule.unit].pk if rule.unit else None
            wanted_admin.setdefault((group, rule.region), rule.level)
    held_admin = {
        (grant.group_id, grant.region): grant for grant in user.admin_grants.select_related("group")
    }
    for (group_id, region), level in wanted_admin.items():
        held = held_admin.get((group_id, region))
        if held is None:
            grant = AdminGrant.objects.create(
                user=user, group_id=group_id, region=region, level=level, from_directory=True
            )
            record(
                events.DIRECTORY_GRANT_GIVEN,
                "admin",
                group=str(grant.group or ""),
                region=region,
                level=level,
            )
        elif held.from_directory and held.level != level:
            held.level = level
            held.save(update_fields=["level"])
            record(
                events.DIRECTORY_GRANT_GIVEN, "admin", group=str(held.group or ""), region=region, level=level
            )
    for key, held in held_admin.items():
        if held.from_directory and key not in wanted_admin:
            held.delete()
            record(events.DIRECTORY_GRANT_TAKEN, "admin", group=str(held.group or ""), region=held.region)

    # Poster for a unit: the named one, or the person's own.
    wanted_units: set[int] = set()
    for rule in rules:
        if rule.kind == "poster":
            if rule.unit in units:
                wanted_units.add(units[rule.unit].pk)
            elif not rule.unit and user.unit_id is not None:
                wanted_units.add(user.unit_id)
    held_poster = {grant.unit_id: grant for grant in user.poster_grants.select_related("unit")}
    for unit_id in wanted_units - set(held_poster):
        given = PosterGrant.objects.create(user=user, unit_id=unit_id, from_directory=True)
        record(events.DIRECTORY_GRANT_GIVEN, "poster", unit=str(given.unit))
    for unit_id, poster_grant in held_poster.items():
        if poster_grant.from_directory and unit_id not in wanted_units:
            poster_grant.delete()
            record(events.DIRECTORY_GRANT_TAKEN, "poster", unit=str(poster_grant.unit))

    # Expert on a committee: one profile per person today, so the first committee in code order.
    committees = sorted({rule.committee for rule in rules if rule.kind == "expert"})
    wanted_committee = committees[0] if committees else None
    for committee in directory_expert_committees(user) - {wanted_committee}:
        if revoke_expert(user, committee):
            record(events.DIRECTORY_GRANT_TAKEN, "expert", committee=committee)
    if wanted_committee and grant_expert(user, wanted_committee):
        record(events.DIRECTORY_GRANT_GIVEN, "expert", committee=wanted_committee)


# ---------------------------------------------------------------------------------------------
# Expert committees. Today a user has one ExpertProfile naming one committee; these three
# functions are the only place the directory touches it (the lead adapts them when committees
# become records of their own).


def directory_expert_committees(user: User) -> set[str]:
    """The committees the directory made `user` an expert of."""
    return set(
        ExpertProfile.objects.filter(user=user, from_directory=True, active=True).values_list(
            "committee", flat=True
        )
    )


def grant_expert(user: User, committee: str) -> bool:
    """Make `user` an expert on `committee` for the directory; False if nothing changed, or if the
    expert profile was made by hand (it stays as it is)."""
    profile = ExpertProfile.objects.filter(user=user).first()
    if profile is None:
        ExpertProfile.objects.create(user=user, committee=committee, from_directory=True)
        return True
    if not profile.from_directory or (profile.active and profile.committee == committee):
        return False
    profile.committee = committee
    profile.active = True
    profile.save(update_fields=["committee", "active"])
    return True


def revoke_expert(user: User, committee: str) -> bool:
    """Take back the directory's expert grant on `committee`; a profile made by hand stays."""
    return bool(
        ExpertProfile.objects.filter(user=user, from_directory=True, active=True, committee=committee).update(
            active=False
        )
    )


_MISCONFIGURED = _(
    "Directory sign-in is not available just now because of a configuration error. Please tell the "
    "platform's administrator."
)
PROBLEM_MESSAGES = {
    "unavailable": _(
        "The enterprise directory cannot be reached just now, so directory accounts cannot sign in. "
        "Local accounts still can. Please try again in a few minutes."
    ),
    "clash": _(
        "Your directory account cannot sign in here: its username belongs to another account on the "
        "platform. Please ask the platform's administrator."
    ),
    "inactive": _("This account is disabled on the platform. Please ask the platform's administrator."),
    "misconfigured": _MISCONFIGURED,
    "incomplete": _MISCONFIGURED,
    "retry": _("Your account was being set up. Please sign in again."),
}
