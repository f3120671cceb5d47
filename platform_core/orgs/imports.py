"""Units, studios and people from a spreadsheet: the columns of each template, the check of every
row, and the writing of a checked file, all or nothing.

A file is checked as a whole before anything is written: each row against the database (looked up
once for the whole file, never per row) and against the rows above it (a unit may name as its parent
a unit defined earlier in the same file; a name, login, phone or e-mail may not appear twice). The
report names each bad row and column; a file with any bad row writes nothing. Writing is
`bulk_create` in batches inside one transaction, the file checked again inside it.

Who may import what: a union admin, into the units of their scope only
(`permissions.admin_scope_filter`, asked once for all the units a file names).
"""

from __future__ import annotations

import datetime
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Lower, Replace
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platform_core.accounts.models import phone_validator
from platform_core.spreadsheets import Table, formula_like
from platform_core.text import clean_line, clean_plain_text, clean_tags

from . import permissions
from .models import ImportJob, Studio, StudioMembership, Unit

BATCH_SIZE = 500
# SQLite allows 999 parameters in a statement: names are looked up in slices this long.
_LOOKUP_SLICE = 900

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Column:
    key: str
    # The header as the template writes it: the file's contract, in Chinese whatever the UI language.
    header: str
    note: Promise
    example: Any = ""
    required: bool = False


@dataclass
class RowReport:
    row: int
    values: dict[str, Any]
    errors: list[tuple[str, str]] = field(default_factory=list)

    def refuse(self, column: Column, message: str) -> None:
        self.errors.append((column.header, message))


@dataclass
class Report:
    kind: str
    rows: list[RowReport] = field(default_factory=list)
    # Errors of the file as a whole (a missing column, an unreadable file), shown as row 1.
    file_errors: list[tuple[int, str, str]] = field(default_factory=list)
    created: list[tuple[int, str]] = field(default_factory=list)

    @property
    def errors(self) -> list[dict[str, Any]]:
        found = [
            {"row": row, "column": column, "message": message} for row, column, message in self.file_errors
        ]
        for row in self.rows:
            found.extend(
                {"row": row.row, "column": column, "message": message} for column, message in row.errors
            )
        return found

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)

    def as_dict(self, *, row_limit: int | None = None, error_limit: int | None = None) -> dict[str, Any]:
        errors = self.errors
        rows = self.rows if row_limit is None else self.rows[:row_limit]
        return {
            "kind": self.kind,
            "ok": self.ok,
            "row_count": len(self.rows),
            "error_count": len(errors),
            "bad_row_count": len({error["row"] for error in errors}),
            "errors": errors if error_limit is None else errors[:error_limit],
            "columns": [column.header for column in COLUMNS[self.kind]],
            "rows": [
                {
                    "row": row.row,
                    "ok": not row.errors,
                    "values": [_shown(row.values.get(column.key)) for column in COLUMNS[self.kind]],
                    "errors": [{"column": column, "message": message} for column, message in row.errors],
                }
                for row in rows
            ],
            "created": [{"id": pk, "name": name} for pk, name in self.created[: row_limit or None]],
            "created_count": len(self.created),
        }


def _shown(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return value


# --- The templates' columns ------------------------------------------------------------------------

UNIT_KIND_NAMES = {
    "集团": Unit.Kind.GROUP,
    "企业": Unit.Kind.ENTERPRISE,
    "科研院所": Unit.Kind.INSTITUTE,
    "工会组织": Unit.Kind.UNION,
}
STUDIO_TYPE_NAMES = {
    "技能技术型": Studio.Type.SKILL,
    "科研型": Studio.Type.RESEARCH,
    "管理型": Studio.Type.MANAGEMENT,
    "营销型": Studio.Type.MARKETING,
    "服务型": Studio.Type.SERVICE,
}
STUDIO_LEVEL_NAMES = {
    "全国示范性": Studio.Level.NATIONAL,
    "产业级": Studio.Level.INDUSTRY,
    "集团级": Studio.Level.GROUP,
    "省市级": Studio.Level.PROVINCIAL,
    "基层": Studio.Level.GRASSROOTS,
}
_YES = {"是", "有", "yes", "y", "true", "1"}
_NO = {"否", "无", "没有", "no", "n", "false", "0"}
_LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")

UNIT_COLUMNS = [
    Column("name", "单位名称", gettext_lazy("Required; unique on the platform."), "示例电力检修分公司", True),
    Column("kind", "单位类型", gettext_lazy("集团, 企业, 科研院所 or 工会组织; 企业 when blank."), "企业"),
    Column(
        "parent",
        "上级单位",
        gettext_lazy("The name of a unit on the platform or in an earlier row of this file."),
        "集团G",
    ),
    Column("industry", "行业", gettext_lazy("Up to 60 characters."), "电力"),
    Column("region", "地区", gettext_lazy("Province or city, up to 40 characters."), "北京"),
    Column("headcount", "职工人数", gettext_lazy("A whole number; 0 when blank."), 420),
    Column("has_union_committee", "是否建立工会", gettext_lazy("是 or 否; 否 when blank."), "是"),
    Column("description", "简介", gettext_lazy("Optional."), "负责输变电设备检修。"),
]
STUDIO_COLUMNS = [
    Column(
        "name",
        "工作室名称",
        gettext_lazy("Required; unique on the platform."),
        "示例带电作业创新工作室",
        True,
    ),
    Column("unit", "所属单位", gettext_lazy("Required: the name of a unit on the platform."), "单位A", True),
    Column("type", "类型", gettext_lazy("技能技术型, 科研型, 管理型, 营销型 or 服务型."), "技能技术型", True),
    Column(
        "level", "级别", gettext_lazy("全国示范性, 产业级, 集团级, 省市级 or 基层; 基层 when blank."), "基层"
    ),
    Column(
        "leader",
        "领衔人",
        gettext_lazy("Required: the login name, mobile number or e-mail of a person on the platform."),
        "leader1",
        True,
    ),
    Column(
        "members",
        "成员",
        gettext_lazy(
            "Login names, mobile numbers or e-mails of people on the platform, separated by 、 or commas."
        ),
        "member",
    ),
    Column("founded_on", "成立日期", gettext_lazy("A date such as 2024-03-01."), "2024-03-01"),
    Column(
        "fields", "研究方向", gettext_lazy("Fields of work, separated by 、 or commas."), "带电作业、绝缘工具"
    ),
    Column("description", "简介", gettext_lazy("Optional."), "围绕带电作业开展技术攻关。"),
]
PEOPLE_COLUMNS = [
    Column("name", "姓名", gettext_lazy("Required."), "张伟", True),
    Column("unit", "所属单位", gettext_lazy("Required: the name of a unit on the platform."), "单位A", True),
    Column("job_title", "职务", gettext_lazy("Up to 80 characters."), "检修班长"),
    Column(
        "phone",
        "手机号码",
        gettext_lazy("Digits, spaces, + and -; unique on the platform. A phone or an e-mail is required."),
        "138 0013 8000",
    ),
    Column(
        "email",
        "电子邮箱",
        gettext_lazy("Unique on the platform. A phone or an e-mail is required."),
        "zhangwei@example.com",
    ),
    Column("birth_year", "出生年份", gettext_lazy("A year such as 1985."), 1985),
    Column(
        "username",
        "登录名",
        gettext_lazy(
            "Optional; the e-mail, else the mobile number, when blank. Letters, digits and @.+-_ only."
        ),
        "",
    ),
]
COLUMNS: dict[str, list[Column]] = {
    ImportJob.Kind.UNITS: UNIT_COLUMNS,
    ImportJob.Kind.STUDIOS: STUDIO_COLUMNS,
    ImportJob.Kind.PEOPLE: PEOPLE_COLUMNS,
}


def template_sheets(kind: str) -> list[tuple[str, list[list[Any]]]]:
    """The template: the headers and one example row, and a second sheet of notes per column."""
    columns = COLUMNS[kind]
    required = _("Required")
    notes = [[_("Column"), _("Required"), _("How to fill it in")]]
    notes += [[column.header, required if column.required else "", str(column.note)] for column in columns]
    notes.append(["", "", _("Replace the example row (row 2) with your own rows; formulas are refused.")])
    return [
        (
            str(ImportJob.Kind(kind).label),
            [[column.header for column in columns], [c.example for c in columns]],
        ),
        (_("Notes"), notes),
    ]


# --- Reading one cell -------------------------------------------------------------------------------


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(value: Any, *, max_length: int, multiline: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise CellError(_("Enter text, not a yes/no value."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number Excel stored as a number
    if isinstance(value, (datetime.datetime, datetime.date)):
        raise CellError(_("Enter text, not a date."))
    text = clean_plain_text(str(value), multiline=multiline) if multiline else clean_line(str(value))
    if len(text) > max_length:
        raise CellError(_("At most %(count)s characters.") % {"count": max_length})
    return text


def _whole_number(value: Any, *, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter a whole number."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        value = int(value)
    if not isinstance(value, int):
        raise CellError(_("Enter a whole number."))
    if not low <= value <= high:
        raise CellError(_("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high})
    return value


def _yes_no(value: Any) -> bool:
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(_("Enter 是 or 否."))


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = re.fullmatch(r"\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*", str(value))
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(_("Enter a date such as 2024-03-01."))


def _choice(value: Any, names: Mapping[str, str], choices: Any, default: str | None = None) -> str:
    text = str(value or "").strip()
    if not text:
        if default is None:
            raise CellError(_("This cell is required."))
        return default
    if text in names:
        return names[text]
    if text in choices.values:
        return text
    for code, label in choices.choices:
        if text == str(label):
            return code
    raise CellError(_("Choose one of: %(names)s.") % {"names": "、".join(names)})


def _items(value: Any) -> list[str]:
    text = _text(value, max_length=4000)
    return [item for item in _LIST_SEPARATORS.split(text) if item]


def _normal_phone(phone: str) -> str:
    return re.sub(r"[\s-]", "", phone)


def _slices(values: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), _LOOKUP_SLICE):
        yield ordered[start : start + _LOOKUP_SLICE]


# --- Checking a file --------------------------------------------------------------------------------


class _Checker(ABC):
    """Checks the rows of one kind; `write` then creates them (only called when every row passed).
    One subclass per kind (units, studios, people)."""

    columns: list[Column]

    def __init__(self, actor) -> None:
        self.actor = actor

    @abstractmethod
    def preload(self, rows: list[RowReport]) -> None: ...

    @abstractmethod
    def check(self, row: RowReport) -> None: ...

    @abstractmethod
    def write(self, rows: list[RowReport], progress: Progress) -> list[tuple[int, str]]: ...

    # The units of the database by name (one query per slice of names), and which are in scope.
    def _units_named(self, names: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _slices(name for name in names if name):
            found.update(Unit.objects.filter(name__in=chunk).values_list("name", "pk"))
        return found

    def _in_scope(self, unit_ids: Iterable[int]) -> set[int]:
        ids = set(unit_ids)
        if self.actor.is_superuser or not ids:
            return ids
        scoped: set[int] = set()
        for chunk in _slices(str(pk) for pk in ids):
            scoped.update(
                Unit.objects.filter(
                    permissions.admin_scope_filter(self.actor, "pk"), pk__in=chunk
                ).values_list("pk", flat=True)
            )
        return scoped

    def _parse(self, row: RowReport, column: Column, read: Callable[[Any], Any]) -> Any:
        if any(header == column.header for header, _message in row.errors):
            return None  # a formula, refused as sent: one error for the cell
        try:
            value = read(row.values.get(column.key))
        except CellError as error:
            row.refuse(column, error.message)
            return None
        if column.required and value in (None, ""):
            row.refuse(column, _("This cell is required."))
        return value


class _UnitChecker(_Checker):
    columns = UNIT_COLUMNS

    def preload(self, rows: list[RowReport]) -> None:
        names = {str(row.values.get(key) or "").strip() for row in rows for key in ("name", "parent")}
        self.existing = self._units_named(names)
        self.scoped = self._in_scope(self.existing.values())
        self.regions = set()
        if not self.actor.is_superuser:
            self.regions = set(self.actor.admin_grants.exclude(region="").values_list("region", flat=True))
        # name -> (row number, in the actor's scope) of the units defined so far in the file.
        self.in_file: dict[str, tuple[int, bool]] = {}
        self.parsed: dict[int, dict[str, Any]] = {}

    def check(self, row: RowReport) -> None:
        c = {column.key: column for column in self.columns}
        data = {
            "name": self._parse(row, c["name"], lambda v: _text(v, max_length=120)),
            "kind": self._parse(
                row, c["kind"], lambda v: _choice(v, UNIT_KIND_NAMES, Unit.Kind, Unit.Kind.ENTERPRISE)
            ),
            "parent": self._parse(row, c["parent"], lambda v: _text(v, max_length=120)),
            "industry": self._parse(row, c["industry"], lambda v: _text(v, max_length=60)),
            "region": self._parse(row, c["region"], lambda v: _text(v, max_length=40)),
            "headcount": self._parse(row, c["headcount"], lambda v: _whole_number(v, low=0, high=10_000_000)),
            "has_union_committee": self._parse(row, c["has_union_committee"], _yes_no),
            "description": self._parse(
                row, c["description"], lambda v: _text(v, max_length=4000, multiline=True)
            ),
        }
        name, parent = data["name"], data["parent"]
        in_scope = self.actor.is_superuser
        if parent:
            if parent == name:
                row.refuse(c["parent"], _("A unit cannot be its own parent."))
            elif parent in self.existing:
                in_scope = in_scope or self.existing[parent] in self.scoped
            elif parent in self.in_file:
                in_scope = in_scope or self.in_file[parent][1]
            else:
                row.refuse(
                    c["parent"],
                    _("No unit named %(name)s, neither on the platform nor in an earlier row.")
                    % {"name": parent},
                )
                in_scope = True  # one error is enough for this cell
        in_scope = in_scope or (bool(data["region"]) and data["region"] in self.regions)
        if not in_scope:
            row.refuse(c["parent"], _("This unit would be outside the groups and regions you administer."))
        if name:
            if name in self.existing:
                row.refuse(c["name"], _("A unit named %(name)s is already on the platform.") % {"name": name})
            elif name in self.in_file:
                row.refuse(c["name"], _("Also in row %(row)s.") % {"row": self.in_file[name][0]})
            else:
                self.in_file[name] = (row.row, in_scope)
        self.parsed[row.row] = data

    def write(self, rows: list[RowReport], progress: Progress) -> list[tuple[int, str]]:
        # Parents before children: a unit's depth is one more than its parent's in the file.
        depth: dict[str, int] = {}
        for row in rows:
            data = self.parsed[row.row]
            parent = data["parent"]
            depth[data["name"]] = depth[parent] + 1 if parent and parent in depth else 0
        ids = dict(self.existing)
        created: list[tuple[int, str]] = []
        for level in sorted(set(depth.values())):
            batch = []
            for row in rows:
                data = self.parsed[row.row]
                if depth[data["name"]] != level:
                    continue
                batch.append(
                    Unit(
                        name=data["name"],
                        kind=data["kind"],
                        parent_id=ids[data["parent"]] if data["parent"] else None,
                        industry=data["industry"],
                        region=data["region"],
                        headcount=data["headcount"] or 0,
                        has_union_committee=data["has_union_committee"],
                        description=data["description"],
                    )
                )
            for start in range(0, len(batch), BATCH_SIZE):
                for unit in Unit.objects.bulk_create(batch[start : start + BATCH_SIZE]):
                    ids[unit.name] = unit.pk
                    created.append((unit.pk, unit.name))
                progress(len(created))
        return created


class _PeopleFinder:
    """The people a file names by login, mobile number or e-mail, looked up once for the file."""

    def __init__(self, identifiers: set[str]) -> None:
        User = get_user_model()
        self.by_username: dict[str, Any] = {}
        self.by_email: dict[str, list[Any]] = {}
        self.by_phone: dict[str, list[Any]] = {}
        lowered = {value.lower() for value in identifiers}
        phones = {_normal_phone(value) for value in identifiers}
        people = User.objects.annotate(
            email_lower=Lower("email"),
            phone_plain=Replace(Replace("phone", Value(" "), Value("")), Value("-"), Value("")),
        )
        for chunk in _slices(identifiers | lowered | phones):
            query = (
                Q(username__in=chunk) | Q(email_lower__in=chunk) | (Q(phone_plain__in=chunk) & ~Q(phone=""))
            )
            for user in people.filter(query).only("pk", "username", "email", "phone", "is_active"):
                self.by_username[user.username] = user
                if user.email:
                    self.by_email.setdefault(user.email.lower(), []).append(user)
                if user.phone:
                    self.by_phone.setdefault(_normal_phone(user.phone), []).append(user)

    def find(self, identifier: str):
        """The one person `identifier` names; CellError when none or several."""
        if identifier in self.by_username:
            return self.by_username[identifier]
        found = {user.pk: user for user in self.by_email.get(identifier.lower(), [])}
        if not found:
            found = {user.pk: user for user in self.by_phone.get(_normal_phone(identifier), [])}
        if len(found) > 1:
            raise CellError(_("%(who)s names several people; use the login name.") % {"who": identifier})
        if not found:
            raise CellError(
                _("Nobody on the platform has the login, phone or e-mail %(who)s.") % {"who": identifier}
            )
        return next(iter(found.values()))


class _StudioChecker(_Checker):
    columns = STUDIO_COLUMNS

    def preload(self, rows: list[RowReport]) -> None:
        names = {str(row.values.get("name") or "").strip() for row in rows}
        self.existing: set[str] = set()
        for chunk in _slices(name for name in names if name):
            self.existing.update(Studio.objects.filter(name__in=chunk).values_list("name", flat=True))
        self.units = self._units_named(str(row.values.get("unit") or "").strip() for row in rows)
        self.scoped = self._in_scope(self.units.values())
        identifiers: set[str] = set()
        for row in rows:
            try:
                identifiers.update(_items(row.values.get("leader")))
                identifiers.update(_items(row.values.get("members")))
            except CellError:
                continue  # reported by the row's own check
        self.people = _PeopleFinder(identifiers)
        self.in_file: dict[str, int] = {}
        self.parsed: dict[int, dict[str, Any]] = {}

    def _person(self, row: RowReport, column: Column, identifier: str):
        try:
            person = self.people.find(identifier)
        except CellError as error:
            row.refuse(column, error.message)
            return None
        if not person.is_active:
            row.refuse(column, _("The account %(who)s is disabled.") % {"who": identifier})
        return person

    def check(self, row: RowReport) -> None:
        c = {column.key: column for column in self.columns}
        data = {
            "name": self._parse(row, c["name"], lambda v: _text(v, max_length=120)),
            "unit": self._parse(row, c["unit"], lambda v: _text(v, max_length=120)),
            "type": self._parse(row, c["type"], lambda v: _choice(v, STUDIO_TYPE_NAMES, Studio.Type)),
            "level": self._parse(
                row,
                c["level"],
                lambda v: _choice(v, STUDIO_LEVEL_NAMES, Studio.Level, Studio.Level.GRASSROOTS),
            ),
            "leader": self._parse(row, c["leader"], lambda v: _text(v, max_length=254)),
            "members": self._parse(row, c["members"], _items) or [],
            "founded_on": self._parse(row, c["founded_on"], _date),
            "fields": self._parse(row, c["fields"], lambda v: clean_tags(_items(v))) or [],
            "description": self._parse(
                row, c["description"], lambda v: _text(v, max_length=4000, multiline=True)
            ),
        }
        name, unit = data["name"], data["unit"]
        if name:
            if name in self.existing:
                row.refuse(
                    c["name"], _("A studio named %(name)s is already on the platform.") % {"name": name}
                )
            elif name in self.in_file:
                row.refuse(c["name"], _("Also in row %(row)s.") % {"row": self.in_file[name]})
            else:
                self.in_file[name] = row.row
        data["unit_id"] = None
        if unit:
            if unit not in self.units:
                row.refuse(c["unit"], _("No unit named %(name)s on the platform.") % {"name": unit})
            elif self.units[unit] not in self.scoped:
                row.refuse(
                    c["unit"],
                    _("%(name)s is outside the groups and regions you administer.") % {"name": unit},
                )
            else:
                data["unit_id"] = self.units[unit]
        leader = self._person(row, c["leader"], data["leader"]) if data["leader"] else None
        data["leader_id"] = leader.pk if leader else None
        member_ids: list[int] = []
        for identifier in data["members"]:
            member = self._person(row, c["members"], identifier)
            if member and member.pk != data["leader_id"] and member.pk not in member_ids:
                member_ids.append(member.pk)
        data["member_ids"] = member_ids
        self.parsed[row.row] = data

    def write(self, rows: list[RowReport], progress: Progress) -> list[tuple[int, str]]:
        today = timezone.localdate()
        created: list[tuple[int, str]] = []
        for start in range(0, len(rows), BATCH_SIZE):
            batch = [self.parsed[row.row] for row in rows[start : start + BATCH_SIZE]]
            studios = Studio.objects.bulk_create(
                [
                    Studio(
                        name=data["name"],
                        unit_id=data["unit_id"],
                        type=data["type"],
                        level=data["level"],
                        leader_id=data["leader_id"],
                        founded_on=data["founded_on"],
                        fields=data["fields"],
                        description=data["description"],
                    )
                    for data in batch
                ]
            )
            memberships = []
            for studio, data in zip(studios, batch, strict=True):
                joined = data["founded_on"] or today
                # The leader is a member from the day the studio was founded, as studio_create has it.
                memberships.append(
                    StudioMembership(
                        studio_id=studio.pk,
                        user_id=data["leader_id"],
                        role=StudioMembership.Role.LEADER,
                        joined_on=joined,
                    )
                )
                memberships.extend(
                    StudioMembership(
                        studio_id=studio.pk, user_id=pk, role=StudioMembership.Role.MEMBER, joined_on=joined
                    )
                    for pk in data["member_ids"]
                )
                created.append((studio.pk, studio.name))
            StudioMembership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
            progress(len(created))
        return created


class _PeopleChecker(_Checker):
    columns = PEOPLE_COLUMNS

    def preload(self, rows: list[RowReport]) -> None:
        self.units = self._units_named(str(row.values.get("unit") or "").strip() for row in rows)
        self.scoped = self._in_scope(self.units.values())
        identifiers: set[str] = set()
        for row in rows:
            for key in ("username", "email", "phone"):
                value = row.values.get(key)
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                if value not in (None, ""):
                    identifiers.add(str(value).strip())
        self.taken = _PeopleFinder(identifiers)
        self.taken_usernames = {name.lower() for name in self.taken.by_username}
        self.in_file: dict[tuple[str, str], int] = {}
        self.parsed: dict[int, dict[str, Any]] = {}

    def _unique(self, row: RowReport, column: Column, what: str, value: str, taken: bool) -> None:
        if taken:
            row.refuse(
                column, _("%(value)s is already used by an account on the platform.") % {"value": value}
            )
        elif (what, value) in self.in_file:
            row.refuse(column, _("Also in row %(row)s.") % {"row": self.in_file[(what, value)]})
        else:
            self.in_file[(what, value)] = row.row

    def check(self, row: RowReport) -> None:
        c = {column.key: column for column in self.columns}
        data = {
            "name": self._parse(row, c["name"], lambda v: _text(v, max_length=60)),
            "unit": self._parse(row, c["unit"], lambda v: _text(v, max_length=120)),
            "job_title": self._parse(row, c["job_title"], lambda v: _text(v, max_length=80)),
            "phone": self._parse(row, c["phone"], lambda v: _text(v, max_length=20)),
            "email": self._parse(row, c["email"], lambda v: _text(v, max_length=254)),
            "birth_year": self._parse(
                row, c["birth_year"], lambda v: _whole_number(v, low=1900, high=timezone.localdate().year)
            ),
            "username": self._parse(row, c["username"], lambda v: _text(v, max_length=150)),
        }
        unit = data["unit"]
        data["unit_id"] = None
        if unit:
            if unit not in self.units:
                row.refuse(c["unit"], _("No unit named %(name)s on the platform.") % {"name": unit})
            elif self.units[unit] not in self.scoped:
                row.refuse(
                    c["unit"],
                    _("%(name)s is outside the groups and regions you administer.") % {"name": unit},
                )
            else:
                data["unit_id"] = self.units[unit]
        phone, email = data["phone"] or "", (data["email"] or "").lower()
        if phone:
            try:
                phone_validator(phone)
            except ValidationError:
                row.refuse(c["phone"], _("Enter a phone number of digits, spaces, + and -."))
            else:
                self._unique(
                    row,
                    c["phone"],
                    "phone",
                    _normal_phone(phone),
                    _normal_phone(phone) in self.taken.by_phone,
                )
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.refuse(c["email"], _("Enter a valid e-mail address."))
            else:
                self._unique(row, c["email"], "email", email, email in self.taken.by_email)
        contact_refused = any(column in (c["phone"].header, c["email"].header) for column, _m in row.errors)
        if not phone and not email and not contact_refused:
            row.refuse(
                c["phone"], _("Give a mobile number or an e-mail, so the person can be found and reached.")
            )
        username = data["username"] or email or _normal_phone(phone)
        # A login made of a phone or e-mail refused above would only repeat that error.
        derived_and_refused = not data["username"] and bool(row.errors)
        if username and not derived_and_refused:
            try:
                UnicodeUsernameValidator()(username)
            except ValidationError:
                row.refuse(c["username"], _("A login name has only letters, digits and @.+-_."))
            else:
                self._unique(
                    row, c["username"], "username", username.lower(), username.lower() in self.taken_usernames
                )
        data["username"] = username
        data["email"] = email
        self.parsed[row.row] = data

    def write(self, rows: list[RowReport], progress: Progress) -> list[tuple[int, str]]:
        User = get_user_model()
        created: list[tuple[int, str]] = []
        for start in range(0, len(rows), BATCH_SIZE):
            batch = [self.parsed[row.row] for row in rows[start : start + BATCH_SIZE]]
            people = User.objects.bulk_create(
                [
                    User(
                        username=data["username"],
                        display_name=data["name"],
                        unit_id=data["unit_id"],
                        job_title=data["job_title"],
                        phone=data["phone"],
                        email=data["email"],
                        birth_year=data["birth_year"],
                        # No password until the person sets one (docs/union.md): nobody can sign in
                        # as an imported account meanwhile.
                        password=make_password(None),
                    )
                    for data in batch
                ]
            )
            created.extend((person.pk, str(person)) for person in people)
            progress(len(created))
        return created


CHECKERS: dict[str, type[_Checker]] = {
    ImportJob.Kind.UNITS: _UnitChecker,
    ImportJob.Kind.STUDIOS: _StudioChecker,
    ImportJob.Kind.PEOPLE: _PeopleChecker,
}


def _rows_of(kind: str, table: Table, report: Report) -> list[RowReport]:
    columns = COLUMNS[kind]
    position = {header: index for index, header in enumerate(table.headers) if header}
    for column in columns:
        if column.required and column.header not in position:
            report.file_errors.append(
                (1, column.header, _("The file has no column %(column)s.") % {"column": column.header})
            )
    rows = []
    for number, cells in table.rows:
        values = {
            column.key: cells[position[column.header]]
            if column.header in position and position[column.header] < len(cells)
            else None
            for column in columns
        }
        row = RowReport(row=number, values=values)
        for column in columns:
            value = values[column.key]
            if isinstance(value, str) and value[1:2] and value[0] == "'" and value[1] in "=+-@":
                # The platform's exports write such text after an apostrophe (spreadsheets.safe_cell):
                # a sheet exported and sent back reads as it was typed, and is judged as such.
                value = values[column.key] = value[1:]
            if isinstance(value, str) and formula_like(value):
                # Refused as sent, never read: a spreadsheet would run it.
                row.refuse(column, _("This cell is a formula; type the value itself."))
                values[column.key] = None
        rows.append(row)
    return rows


def check_and_write(
    *, actor, kind: str, table: Table, write: bool, progress: Progress | None = None
) -> Report:
    """Check every row of `table`; when `write` and every row passed, create them all (inside the
    caller's transaction). `progress(done)` is told the rows checked, then the rows written after
    them (so a file of n rows counts to 2n when written)."""
    if kind not in CHECKERS:
        raise ValueError(kind)
    if not permissions.can_import(actor):
        raise PermissionDenied(_("Only a union admin may import units, studios or people."))
    report = Report(kind=kind)
    report.rows = _rows_of(kind, table, report)
    tell = progress or (lambda done: None)
    if report.file_errors:
        return report
    checker = CHECKERS[kind](actor)
    checker.preload(report.rows)
    for index, row in enumerate(report.rows, start=1):
        checker.check(row)
        if index % 100 == 0:
            tell(index)
    tell(len(report.rows))
    if write and report.ok and report.rows:
        checked = len(report.rows)
        with transaction.atomic():
            report.created = checker.write(report.rows, lambda done: tell(checked + done))
    return report
