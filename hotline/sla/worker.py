"""The SLA worker loop: every interval, run each step once, survive any single failure.

Each step is a function of "now" that does one bounded batch of work and is safe to run in several
processes at once (it claims rows with conditional updates). ``hotline worker`` runs the loop in
its own process; ``hotline serve --with-worker`` runs it in a thread beside the web server.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections

from hotline import clock

log = logging.getLogger("hotline.worker")

Step = Callable[[dt.datetime], int]


def _steps() -> list[tuple[str, Step]]:
    # Imported lazily: steps live in the apps that own the rows they touch.
    from hotline.cases.actions import urge_due
    from hotline.dispatch import retraining
    from hotline.hall import sweep
    from hotline.kb import upkeep
    from hotline.ratings import follow_up_links
    from hotline.sla import calendar, watch

    return [
        *watch.STEPS,
        ("calendar", calendar.warn_if_next_year_unknown),
        *upkeep.STEPS,  # knowledge-base upkeep tasks and review-date urges
        ("cases", urge_due),  # hall cases near or past their promised date
        *sweep.STEPS,  # hall no-shows, missed bookings, the managers' alerts
        *follow_up_links.STEPS,  # 追评: a closed rectification's link, texted once
        *retraining.STEPS,  # the dispatch model, when DISPATCH_RETRAIN_DAYS says so
    ]


def run_once(now: dt.datetime | None = None) -> dict[str, int]:
    """Run every step once; a failing step is logged and the others still run."""
    now = now or clock.now()
    done: dict[str, int] = {}
    for name, step in _steps():
        try:
            done[name] = step(now)
        except Exception:
            log.exception("worker step %s failed", name)
            done[name] = -1
    return done


def run_forever(interval: float, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    log.info("SLA worker started, interval %ss", interval)
    while not stop.is_set():
        # Between passes, like between requests: drop a connection the database closed.
        close_old_connections()
        counts = run_once()
        if any(counts.values()):
            log.info("worker pass: %s", counts)
        stop.wait(interval)


def start_in_thread(interval: float) -> threading.Event:
    """Start the loop in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(interval, stop), name="sla-worker", daemon=True
    )
    thread.start()
    return stop
