"""One notify, one owner parser, one HTML allowlist, notification kinds named in events.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.http import Http404

from alliances import markdown
from alliances.owners import owner_choices, owner_from_ids, owner_from_key, owner_key
from alliances.services import teams
from challenges.services import common as challenge_common
from platform_core import text
from platform_core.notifications.models import Notification
from platform_core.notifications.services import notify
from showcase.services import common as showcase_common

ROOT = Path(__file__).resolve().parents[2]


def test_every_app_notifies_through_the_one_notify():
    assert challenge_common.notify is notify
    assert showcase_common.notify is notify


@pytest.mark.django_db
def test_notify_tells_each_person_once(cast):
    notify([cast.member, None, cast.member, cast.leader1], kind="test.kind", title=lambda: "t")
    assert sorted(
        Notification.objects.filter(kind="test.kind").values_list("recipient", flat=True)
    ) == sorted([cast.member.pk, cast.leader1.pk])


def _services_modules() -> list[Path]:
    folders = [ROOT / app / "services" for app in ("challenges", "showcase", "alliances")]
    files = [path for folder in folders for path in folder.glob("*.py")]
    files += [ROOT / "platform_core" / name / "services.py" for name in ("orgs", "accounts", "notifications")]
    files.append(ROOT / "platform_core" / "demo.py")
    return [path for path in files if path.exists()]


def test_no_notification_kind_is_a_literal_string():
    """docs/architecture.md: kinds are constants of the app's events.py, so a kind is named once
    and the tests and pages that filter on it use the same name."""
    literal = []
    for path in _services_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ("notify", "notification_create"):
                continue
            for keyword in node.keywords:
                if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant | ast.JoinedStr):
                    literal.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert literal == []


# Owners -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_owner_parser(cast):
    team = teams.team_create(actor=cast.leader1, name="攻关队", purpose="攻关")
    assert owner_from_key(owner_key(studio=cast.studio1)) == (cast.studio1, None)
    assert owner_from_key(owner_key(team=team)) == (None, team)
    assert owner_key(studio_id=cast.studio1.pk) == owner_key(studio=cast.studio1)
    for bad in ("", None, "studio:", "studio:x", "studio:-1", "team:99999", "unit:1", "studio:1:2"):
        assert owner_from_key(bad) == (None, None), bad
    assert owner_from_ids(cast.studio1.pk, None) == (cast.studio1, None)
    assert owner_from_ids(None, team.pk) == (None, team)
    assert owner_from_ids(None, None) == (None, None)
    with pytest.raises(Http404):
        owner_from_ids(99999, None)
    assert [value for value, _label in owner_choices(cast.leader1)] == [
        owner_key(studio=cast.studio1),
        owner_key(team=team),
    ]
    assert owner_choices(cast.outsider) == []


def test_the_page_forms_and_the_apis_use_the_one_parser():
    """No front door parses "studio:3" or studio_id/team_id on its own any more."""
    for relative in (
        "frontend/views/challenges.py",
        "frontend/views/showcase_achievements.py",
        "showcase/api.py",
        "challenges/api/bids.py",
    ):
        source = (ROOT / relative).read_text(encoding="utf-8")
        assert "alliances.owners import" in source, relative
    front_doors = [*(ROOT / "frontend").rglob("*.py"), *ROOT.glob("*/api*.py"), *ROOT.glob("*/api/*.py")]
    for path in front_doors:
        assert 'partition(":")' not in path.read_text(encoding="utf-8"), path


# The HTML allowlist -----------------------------------------------------------------------------


def test_the_chat_renders_through_the_platforms_one_allowlist(monkeypatch):
    seen = []

    def spy(fragment: str) -> str:
        seen.append(fragment)
        return text.sanitize_html(fragment)

    monkeypatch.setattr(markdown, "sanitize_html", spy)
    assert markdown.render_markdown("**x**") == "<p><strong>x</strong></p>"
    assert seen == ["<p><strong>x</strong></p>"]
    assert not hasattr(markdown, "ALLOWED_TAGS")


def test_links_get_the_same_rel_and_schemes_from_both_renderers():
    chat = markdown.render_markdown("[a](https://example.com/x)")
    field = text.clean_html('<a href="https://example.com/x">a</a><a href="javascript:alert(1)">b</a>')
    assert 'rel="noopener nofollow"' in chat
    assert (
        field
        == '<a href="https://example.com/x" rel="noopener nofollow">a</a><a rel="noopener nofollow">b</a>'
    )
