"""The periodic job: close bidding at deadlines, send reminders. Safe to run in several places at once."""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from challenges.services.reminders import challenge_send_due_reminders

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Close bidding at deadlines and send due reminders, every --interval seconds (or --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one pass and exit (for a timer)")
        parser.add_argument("--interval", type=int, default=60, help="seconds between passes (default 60)")

    def handle(self, *args, once: bool = False, interval: int = 60, **options):
        if once:
            self._pass(options["verbosity"])
            return
        while True:
            # A lost database connection or a bad row must not end the loop: the next pass retries.
            close_old_connections()
            try:
                self._pass(options["verbosity"])
            except Exception:
                logger.exception("periodic pass failed; retrying in %s s", interval)
            time.sleep(max(interval, 1))

    def _pass(self, verbosity: int) -> None:
        result = challenge_send_due_reminders()
        if verbosity > 1 or any(result.values()):
            self.stdout.write(" ".join(f"{name}={count}" for name, count in result.items()))
