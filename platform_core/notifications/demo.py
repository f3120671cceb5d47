"""Demo data of the e-mail settings: member1 chose their own (see /notifications/email/), everyone
else keeps the defaults. With `make run` the mails go to files in var/mail/ (README)."""

from __future__ import annotations

from platform_core.demo import DemoContext

from .kinds import OTHER, EmailMode
from .models import EmailSettings
from .services import email_settings_update


def run(ctx: DemoContext) -> None:
    member = ctx.users.get("member1")
    if member is not None and not EmailSettings.objects.filter(user=member).exists():
        email_settings_update(user=member, modes={OTHER: EmailMode.OFF, "welcome": EmailMode.DIGEST})
