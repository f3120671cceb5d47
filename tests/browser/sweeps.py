"""The shared browser walk of issue 13: what it sweeps, found by introspection, not listed by hand.

- Text fields: every CharField and TextField of every model of the project's own apps (an app whose
  code lives in this repository, so a domain added next month is in from its first model). A field
  is swept unless it is not free text by construction (it has `choices`, or its validators refuse
  every payload below, as a username's or a phone number's do) or it is named in `EXCLUDED` with the
  reason; a field derived from another by the code (`DERIVED`) is re-derived from the swept source,
  so what is tested is the code that renders it. `fill_payloads` writes the payloads into every row
  of every swept field straight through the ORM (no form, no service cleaning), as an import or the
  Django admin could.
- Pages: every URL pattern of the resolver (the admin and static serving aside, as in the URL ×
  role matrix) is built from its row in tests/platform/url_role_table.py with the objects of
  tests/platform/url_role_world.py; each role of `WALK_ROLES` opens one case whose GET the table
  says is 200 for that role. A pattern without a row fails `pages_for` with the way to register it.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from tests.platform.test_url_role_matrix import url_patterns
from tests.platform.url_role_table import ANONYMOUS, ROWS, Case
from tests.platform.url_role_world import MatrixWorld

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# The roles of the walk (issue 13): an anonymous visitor, a studio member, a studio leader, an
# enterprise poster, an expert sitting on panels, and a union admin.
WALK_ROLES = (ANONYMOUS, "member", "leader1", "poster", "panelist", "admin")
# The XSS checks run on every page of the walk; the accessibility checks on the platform's own pages
# (the API's pages are Django REST framework's browsable API, swept for XSS by these two roles).
API_ROLES = ("leader1", "admin")

# Text fields that are free text in the database but never written by a person, nor shown as text.
# Each says why; a stale entry (a field that no longer exists) fails the test.
EXCLUDED: dict[str, str] = {
    "accounts.User.password": "a password hash written by set_password, never rendered",
    "audit.AuditEntry.action": "a constant of the code (the audited action's name), never user text",
    "audit.AuditEntry.target_type": "the audited model's label, set by audit_record",
    "audit.AuditEntry.target_id": "the audited row's primary key, set by audit_record",
    "realtime.Topic.name": "an internal topic key (kind:id) built by the code",
    "realtime.Event.name": "a live event's name, a constant of each app's events.py",
    "notifications.Notification.kind": "a constant naming the notification's kind, chosen by the code",
    "challenges.Challenge.fields_key": "derived search key (editable=False), never rendered",
    "challenges.ReminderSent.kind": "a constant of the periodic job, never rendered",
    "challenges.ReminderSent.subject": "an internal key of the periodic job, never rendered",
    "showcase.Achievement.search_grams": "derived search index (editable=False), never rendered",
    # The mail outbox is written by the code (rendered, escaped, from notifications already swept)
    # and shown on no page: only superusers read it, in the admin.
    "notifications.OutgoingMail.to_address": "the recipient's address, copied by the mail step",
    "notifications.OutgoingMail.subject": "a mail's subject composed by the mail step, shown on no page",
    "notifications.OutgoingMail.text": "a mail's text composed by the mail step, shown on no page",
    "notifications.OutgoingMail.html": "a mail's HTML composed (escaped) by the mail step, shown on no page",
    "notifications.OutgoingMail.dedup_key": "an internal key of the mail step, never rendered",
    "notifications.OutgoingMail.last_error": "the mail server's last answer, shown on no page",
    "consulting.QAEntry.search_grams": "derived search index (editable=False), never rendered",
    "exchange.Post.search_grams": "derived search index (editable=False), never rendered",
    "learning.Course.search_grams": "derived search index (editable=False), never rendered",
    "learning.Enrolment.certificate_code": "a random hex code drawn by the service, never user text",
}


def _render_message_html(row: models.Model) -> str:
    from alliances.markdown import render_markdown

    return render_markdown(row.body)  # type: ignore[attr-defined]


def _render_post_html(row: models.Model) -> str:
    from alliances.exchange.rendering import render_post_text

    return render_post_text(row.body)  # type: ignore[attr-defined]


# Fields the code derives from another field: re-derived from the swept source after the fill, so
# the code that turns user text into markup (the chat's Markdown) is what the payloads meet.
def _render(source: str) -> Callable[[models.Model], str]:
    def render(row: models.Model) -> str:
        from alliances.markdown import render_markdown

        return render_markdown(getattr(row, source))

    return render


DERIVED: dict[str, Callable[[models.Model], str]] = {
    "alliances.Message.html": _render_message_html,
    # A consultation's Markdown, and the public Q&A entry's copy of it.
    "consulting.Consultation.body_html": _render("body"),
    "consulting.Consultation.answer_html": _render("answer"),
    "consulting.QAEntry.question_html": _render("question_text"),
    "consulting.QAEntry.answer_html": _render("answer_text"),
    "exchange.Post.html": _render_post_html,
    "exchange.Comment.html": _render_post_html,
    "learning.Lesson.body_html": _render_message_html,
}


def label(field: models.Field) -> str:
    return f"{field.model._meta.label}.{field.name}"


def project_models() -> list[type[models.Model]]:
    """The models of the apps whose code is in this repository (not Django's nor a library's)."""
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if ROOT not in path.parents or ".venv" in path.parts:
            continue
        found.extend(model for model in config.get_models() if model._meta.managed and not model._meta.proxy)
    return found


def text_fields() -> list[models.Field]:
    return [
        field
        for model in project_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


# The payloads, richest first; a field gets the first that fits it (its max_length, its validators).
# `c` is a number naming the row and field, so a finding points at its source. Each payload, if it
# ran, would set window.__xss and open a dialog; each element it would create carries `xss`.
def _candidates(c: int) -> list[str]:
    js = f"window.__xss={c};alert({c})"
    event = f'<img xss={c} src=x onerror="{js}">'
    script = f"<script xss={c}>{js}</script>"
    markdown = f"[x](javascript:{js})"
    return [
        f"javascript:{js}//{event}{script} {markdown}",
        f"{event}{script}",
        event,
        f"<svg xss={c} onload=__xss={c}>",
        # An email address may hold markup in its quoted local part.
        f'"<svg/xss={c}/onload=__xss={c}>"@example.com',
        f"<b xss={c}>",
    ]


def payload_for(field: models.Field, c: int) -> str | None:
    """The richest payload the field accepts, or None if its validators refuse them all."""
    for candidate in _candidates(c):
        if field.max_length is not None and len(candidate) > field.max_length:
            continue
        try:
            field.run_validators(candidate)
        except ValidationError:
            continue
        return candidate
    return None


@dataclass(frozen=True)
class Sweep:
    swept: list[models.Field]
    # label -> why the field is not swept
    left_out: dict[str, str]


def classify() -> Sweep:
    swept, left_out = [], {}
    for field in text_fields():
        name = label(field)
        if name in EXCLUDED:
            left_out[name] = EXCLUDED[name]
        elif name in DERIVED:
            left_out[name] = "derived: re-derived from its swept source"
        elif field.choices:
            left_out[name] = "choices: one of the code's values"
        elif payload_for(field, 1000) is None:
            left_out[name] = "validated: its validators refuse every payload"
        else:
            swept.append(field)
    return Sweep(swept, left_out)


@dataclass
class Filled:
    # code -> "app.Model.field #pk"
    sources: dict[int, str]
    # swept fields with no row to carry a payload
    empty: list[str]


def fill_payloads() -> Filled:
    """Write a payload into every swept field of every row (no service, no cleaning: as an import
    or the admin could), then re-derive the derived fields. Returns where each code went."""
    sweep = classify()
    codes = itertools.count(1000)
    sources: dict[int, str] = {}
    empty = []
    by_model: dict[type[models.Model], list[models.Field]] = {}
    for field in sweep.swept:
        by_model.setdefault(field.model, []).append(field)
    for model, fields in by_model.items():
        # The plain QuerySet: a model's own may refuse updates (the audit trail is append-only).
        rows = list(models.QuerySet(model).values_list("pk", flat=True))
        if not rows:
            empty.extend(label(field) for field in fields)
        for pk in rows:
            values = {}
            for field in fields:
                code = next(codes)
                values[field.attname] = payload_for(field, code)
                sources[code] = f"{label(field)} #{pk}"
            models.QuerySet(model).filter(pk=pk).update(**values)
    for name, derive in DERIVED.items():
        app_model, field_name = name.rsplit(".", 1)
        model = apps.get_model(app_model)
        for row in models.QuerySet(model):
            models.QuerySet(model).filter(pk=row.pk).update(**{field_name: derive(row)})
    return Filled(sources, empty)


def make_sweep_world(cast) -> MatrixWorld:
    """The URL x role matrix's world, plus a row of each model with free text that the matrix does
    not need (scores, an accepted challenge's outcome, a transfer case), made through the services.
    A model added later whose text fields stay empty fails the sweep until it gets a row here."""
    import datetime
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from alliances.models import Team
    from challenges.lifecycle import State
    from challenges.services import reviews
    from showcase.models import Inquiry
    from showcase.services import rounds, transfer
    from tests.challenges.conftest import World
    from tests.platform.url_role_world import make_matrix_world

    world = make_matrix_world(cast)
    users = get_user_model().objects
    teamlead = users.get(username="teamlead")
    team = Team.objects.get(lead=teamlead)
    challenges = World(cast=cast, expert2=users.get(username="expert2"), teamlead=teamlead, team=team)
    challenges.in_state(State.ACCEPTED, title="已验收课题")
    reviews.score_submit(
        actor=cast.panelist,
        bid=world.review_bid_a,
        scores=[{"criterion": c.pk, "value": 80, "comment": "方案可行"} for c in world.review.criteria.all()],
    )
    rounds.round_score(
        actor=cast.panelist,
        entry=world.entry,
        scores=[{"criterion": c.pk, "value": 90, "comment": "效益显著"} for c in world.round.criteria.all()],
    )
    agreed = transfer.inquiry_send(
        actor=cast.poster, listing=world.achievement.listing, mode="licence", message="希望合作"
    )
    transfer.inquiry_set_status(actor=cast.leader1, inquiry=agreed, status=Inquiry.Status.AGREED, note="同意")
    transfer.case_record(
        actor=cast.leader1,
        inquiry=agreed,
        value=Decimal("100000"),
        concluded_on=timezone.localdate() - datetime.timedelta(days=1),
        note="许可实施",
    )
    return world


@dataclass(frozen=True)
class Page:
    name: str  # the URL pattern's name
    role: str
    url: str
    api: bool


class UnbuildablePattern(AssertionError):
    pass


def pages_for(world: MatrixWorld) -> Iterator[Page]:
    """One page per URL pattern and role: for each role of the walk, one case of the pattern's row
    whose GET the table says is 200 (the cases are rotated between roles, so the states of a
    challenge are spread over the walk). Patterns no role of the walk may GET are write endpoints
    whose form lives on another page."""
    missing = [name for name in url_patterns() if name not in ROWS]
    if missing:
        raise UnbuildablePattern(
            "The browser sweep cannot build these URL patterns: "
            f"{missing}. Register each in tests/platform/url_role_table.py (a row names its URL "
            "arguments from the objects of tests/platform/url_role_world.py and the status each role "
            "gets; add the object to MatrixWorld if none fits). The URL x role matrix needs that row too."
        )
    for name in url_patterns():
        cases: list[Case] = ROWS[name]
        for index, role in enumerate(WALK_ROLES):
            shown = [case for case in cases if case.get(role) == 200]
            if not shown:
                continue
            case = shown[index % len(shown)]
            try:
                url = case.url(world, name)
            except Exception as error:
                raise UnbuildablePattern(
                    f"The browser sweep cannot build {name} from its row in "
                    f"tests/platform/url_role_table.py: {error!r}"
                ) from error
            api = url.startswith("/api/")
            if api and role not in API_ROLES:
                continue
            yield Page(name, role, url, api)


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(reason: str) -> None:
    # CI sets REQUIRE_SERVICES=1: there a missing browser or axe-core fails instead of skipping.
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def require_browser(*, axe: bool = True) -> None:
    """Skip (fail under REQUIRE_SERVICES=1) without the system Chromium, or axe-core from npm."""
    if not shutil.which(CHROMIUM):
        _missing(f"Chromium is not at {CHROMIUM} (apt-get install chromium)")
    if axe and not AXE.is_file():
        _missing(f"axe-core is not at {AXE}: run `npm ci` at the repository root (make does it)")


@contextlib.contextmanager
def chromium(*, axe: bool = True):
    """The system Chromium through Playwright's sync API. Start it after the test's ORM work: the
    sync API runs an event loop in this thread."""
    require_browser(axe=axe)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
