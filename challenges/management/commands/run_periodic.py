"""The periodic job: close bidding at deadlines, send reminders. Safe to run in several places at once."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from challenges.services.reminders import challenge_send_due_reminders


class Command(BaseCommand):
    help = "Close bidding at deadlines and send due reminders, every --interval seconds (or --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one pass and exit (for a timer)")
        parser.add_argument("--interval", type=int, default=60, help="seconds between passes (default 60)")

    def handle(self, *args, once: bool = False, interval: int = 60, **options):
        while True:
            result = challenge_send_due_reminders()
            if options["verbosity"] > 1 or any(result.values()):
                self.stdout.write(" ".join(f"{name}={count}" for name, count in result.items()))
            if once:
                return
            time.sleep(max(interval, 1))
