"""The registry of notification kinds (platform_core/notifications/kinds.py): every kind the code
notifies with is registered, with a label and an e-mail default, by the app that owns it."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from platform_core.notifications.kinds import (
    OTHER,
    EmailMode,
    is_registered,
    kind_of,
    register,
    registered_kinds,
    unregister,
)

ROOT = Path(settings.BASE_DIR)
APP_PACKAGES = ["platform_core", "challenges", "alliances", "showcase", "frontend"]


def _candidates(expression: ast.expr) -> list[ast.expr]:
    """The expressions a kind argument may take: both arms of `a if x else b`."""
    if isinstance(expression, ast.IfExp):
        return _candidates(expression.body) + _candidates(expression.orelse)
    return [expression]


def notified_kinds() -> dict[str, str]:
    """{kind: where} for every `kind=` given to a notifying call (`notify`, `notification_create`,
    an app's `_notify_…` helper) whose value can be known without running the code: a constant or
    an expression of module-level names (`events.MENTIONED`, `events.REMINDER_NOTICES[KIND]`)."""
    found: dict[str, str] = {}
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            calls = [
                node
                for node in ast.walk(tree)
                if isinstance(node, ast.Call)
                and "notif" in (getattr(node.func, "id", None) or getattr(node.func, "attr", "") or "")
            ]
            if not calls:
                continue
            module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
            for call in calls:
                for keyword in call.keywords:
                    if keyword.arg != "kind":
                        continue
                    for expression in _candidates(keyword.value):
                        try:
                            value = eval(compile(ast.Expression(expression), str(path), "eval"), vars(module))
                        except (NameError, KeyError, AttributeError):
                            continue  # a local variable: the caller passes a constant seen elsewhere
                        if isinstance(value, str):
                            found.setdefault(value, f"{path.relative_to(ROOT)}:{call.lineno}")
    return found


def test_every_kind_the_code_notifies_with_is_registered():
    found = notified_kinds()
    assert len(found) > 40, found  # the scan still finds the calls
    missing = {kind: where for kind, where in found.items() if not is_registered(kind)}
    assert not missing, (
        "Register these notification kinds in their app's events.py: "
        "platform_core.notifications.kinds.register(KIND, _('label'), EmailMode.DIGEST, group=_('…')) "
        f"— {missing}"
    )


def test_a_kind_registered_twice_is_refused_at_start_up():
    register("test.once", "Once", EmailMode.SOON)
    try:
        with pytest.raises(ImproperlyConfigured):
            register("test.once", "Twice", EmailMode.DIGEST)
        with pytest.raises(ImproperlyConfigured):
            register("test.bad_mode", "Bad", "hourly")
        with pytest.raises(ImproperlyConfigured):
            register(OTHER, "Other again", EmailMode.OFF)
    finally:
        unregister("test.once")


def test_an_unregistered_kind_reads_as_other_and_goes_by_digest():
    kind = kind_of("someone.elses.new_kind")
    assert (kind.key, kind.default_email_mode) == (OTHER, EmailMode.DIGEST)
    assert registered_kinds()[-1].key == OTHER


def test_the_defaults_do_not_flood():
    """Only what a person should act on soon goes soon; most kinds wait for the digest or stay
    on the platform."""
    kinds = [kind for kind in registered_kinds() if not kind.key.startswith("test.")]
    soon = [kind.key for kind in kinds if kind.default_email_mode == EmailMode.SOON]
    assert "chat.mentioned" in soon and "team.invited" in soon and "bid.awarded" in soon
    assert len(soon) < len(kinds) / 2
