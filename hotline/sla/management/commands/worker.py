"""``hotline worker``: the SLA worker in its own process (run several; they never double up)."""

from __future__ import annotations

import json
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from hotline.sla import worker


class Command(BaseCommand):
    help = "Run the SLA worker: urge, mark overdue, supervise, notify."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, print counts, exit")
        parser.add_argument("--interval", type=float, default=settings.SLA_WORKER_INTERVAL_SECONDS)

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        if once:
            self.stdout.write(json.dumps(worker.run_once()))
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        worker.run_forever(interval, stop)
