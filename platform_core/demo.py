"""Demo data in Chinese for a laptop run: `python manage.py seed_demo`.

Each installed app may bring a step: a `demo.py` module with a `run(ctx)` function. `seed_demo`
runs them in INSTALLED_APPS order, in one transaction, so an app's step may use what the apps
before it made (accounts makes the people, orgs the units and studios, the domain apps their
challenges, teams and results). The core knows none of their content. Every step is idempotent:
run it again and it updates what exists and adds only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from platform_core.notifications import events as notification_events
from platform_core.notifications.models import Notification
from platform_core.notifications.services import notification_create, verbatim

DEFAULT_PASSWORD = "demo12345"  # noqa: S105  the documented demo password

DemoStep = Callable[["DemoContext"], None]


@dataclass
class DemoContext:
    """What the steps share: the password hash of new accounts and the people by username."""

    password_hash: str
    users: dict[str, Any] = field(default_factory=dict)


def demo_steps() -> list[tuple[str, DemoStep]]:
    """(app label, step) of every installed app that has a `demo` module, in INSTALLED_APPS order."""
    steps = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "demo"):
            steps.append((config.label, import_module(f"{config.name}.demo").run))
    return steps


def seed_demo(password: str = DEFAULT_PASSWORD, progress: Callable[[str], None] = lambda label: None) -> None:
    # One hash for every new demo account: hashing is deliberately slow, demo accounts are many.
    ctx = DemoContext(password_hash=make_password(password))
    with transaction.atomic():
        for label, step in demo_steps():
            step(ctx)
            progress(label)


def notify_once(user, title: str, body: str, url: str) -> None:
    """A welcome notification, sent only the first time the demo is seeded."""
    if not Notification.objects.filter(recipient=user, title=title).exists():
        # Demo texts are written in Chinese, like what a person would write: the same in every language.
        notification_create(
            recipient=user,
            kind=notification_events.WELCOME,
            title=verbatim(title),
            body=verbatim(body),
            url=url,
        )
