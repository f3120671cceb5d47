"""The periodic job of every app (platform_core/periodic.py), every --interval seconds or --once."""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from platform_core.periodic import run_pass

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run every app's periodic step (deadlines, reminders) every --interval seconds, or --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one pass and exit (for a timer)")
        parser.add_argument("--interval", type=int, default=60, help="seconds between passes (default 60)")

    def handle(self, *args, once: bool = False, interval: int = 60, **options):
        if once:
            self._pass(options["verbosity"])
            return
        stop = threading.Event()
        # SIGTERM (systemd, `make run` stopping, a killed process group) ends the loop between
        # passes instead of in the middle of one.
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
        try:
            while not stop.is_set():
                # A lost database connection must not end the loop: the next pass reconnects.
                close_old_connections()
                try:
                    self._pass(options["verbosity"])
                except Exception:
                    logger.exception("periodic pass failed; retrying in %s s", interval)
                stop.wait(max(interval, 1))
        except KeyboardInterrupt:
            pass

    def _pass(self, verbosity: int) -> None:
        results = run_pass()
        if results is None:
            if verbosity > 1:
                self.stdout.write("skipped: another runner holds the pass lock")
            return
        for label, counts in results.items():
            if verbosity > 1 or any(counts.values()):
                done = " ".join(f"{name}={count}" for name, count in counts.items())
                self.stdout.write(f"{label}: {done}")
