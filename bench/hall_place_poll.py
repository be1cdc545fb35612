"""What one poll of the citizen's "my place" page costs at a busy hour, as one JSON line.

    python bench/hall_place_poll.py [--hall dnl] [--day 2023-03-08] [--at 11:00] [--history 3]
        [--seed 12345] [--polls 3] [--tickets 40]

A throwaway SQLite database gets the demo district without orders and the demo halls (as in
bench/hall_estimate.py); ``--history`` working days are simulated at ``--hall`` before the
measured ``--day`` (so the estimate has history and runs its full play, as on any day but a
hall's first), then the measured day up to ``--at``, local time, through the real actions
(:func:`hotline.hall.simulate.run_day` with ``until``). The defaults: dnl on the busy day of
bench/hall_estimate.py, 30 waiting at 11:00 before 4 open windows. The clock is frozen there,
and the page of each of the first ``--tickets`` waiting tickets in calling order is asked as
its own poll asks it (GET with ``HX-Request``, no login) through the whole Django stack (the
test client).

Per request, wall ms, CPU ms of this process and SQL statements: ``first``, each ticket's first
poll in a minute on a state the page has not seen (what every poll cost before the page
remembered its estimate: a fresh minute, or a hall event in between); ``again``, the ``--polls``
polls that follow in the same minute with nothing happened in the hall (what a phone left on the
page asks every 10 s; ``moved_within_minute``: how many of them showed another range than the
minute's first poll, the clock's seconds alone moving it); ``after_event``, a poll right after a
ticket event (the longest-busy window finishes its ticket and calls the next): it must compute
afresh, and ``changed_after_event`` counts the tickets whose range the event moved (shown at
once). The machine's load average goes with the figures: compare runs on the same machine only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hall", default="dnl")
    parser.add_argument("--history", type=int, default=3)
    parser.add_argument("--day", default="2023-03-08")
    parser.add_argument("--at", default="11:00")
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--polls", type=int, default=3)
    parser.add_argument("--tickets", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hotline-bench-place-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ["HOTLINE_DATA_DIR"] = folder
        os.environ.setdefault("SECRET_KEY", "bench-only-signing-key-never-used-in-production-4f9")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
        os.environ.update(DEBUG="false", DEMO_ORDERS="0", DEMO_HALL_DAYS="0")
        import django

        django.setup()
        import time_machine
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse
        from django.utils import timezone

        from hotline.hall import actions, simulate, snapshot
        from hotline.hall import demo as hall_demo
        from hotline.hall.models import Hall, Ticket, Window, WindowState
        from hotline.org import demo

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        call_command("migrate", verbosity=0)
        demo.load_district()
        hall = Hall.objects.get(code=args.hall)
        volumes = hall_demo.volumes(hall)
        day_ = dt.date.fromisoformat(args.day)
        for day in hall_demo._working_days_before(day_, args.history):
            simulate.run_day(hall, day, args.seed, volumes)
        hour, minute = (int(part) for part in args.at.split(":"))
        at = timezone.make_aware(dt.datetime.combine(day_, dt.time(hour, minute)))
        simulate.run_day(hall, day_, args.seed, volumes, until=at)
        order = snapshot.waiting_order(hall, day_)
        tokens = dict(Ticket.objects.filter(hall=hall, day=day_).values_list("pk", "token"))
        measured = [tokens[t.pk] for t in order[: args.tickets]]
        open_windows = Window.objects.filter(hall=hall, state=WindowState.OPEN).count()
        client = Client(headers={"HX-Request": "true"})

        def poll(token: str) -> tuple[float, float, int, str]:
            url = reverse("hall:place", args=[token])
            with CaptureQueriesContext(connection) as queries:
                began, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                took = (time.perf_counter() - began) * 1000
                cpu = (time.process_time() - cpu) * 1000
            assert response.status_code == 200, response.status_code
            return took, cpu, len(queries), _range_of(response.content.decode())

        first: list[tuple[float, float, int]] = []
        again: list[tuple[float, float, int]] = []
        after: list[tuple[float, float, int]] = []
        changed = moved = 0
        # Each minute a fresh state for the page: the first poll of each ticket, then the polls
        # that follow in the same minute (a second apart).
        with time_machine.travel(at + dt.timedelta(seconds=5), tick=False) as traveller:
            for token in measured:  # warm the once-a-day reads, as a running server has them
                poll(token)
            traveller.move_to(at + dt.timedelta(minutes=1, seconds=5))
            shown = {}
            for token in measured:
                took, cpu, count, shown[token] = poll(token)
                first.append((took, cpu, count))
            for second in range(args.polls):
                traveller.move_to(at + dt.timedelta(minutes=1, seconds=10 + 10 * second))
                for token in measured:
                    took, cpu, count, seen = poll(token)
                    moved += seen != shown[token]
                    again.append((took, cpu, count))
            # A ticket event in the same minute: the first free or busy window finishes its
            # ticket and calls the next (the front of the queue moves).
            now = at + dt.timedelta(minutes=1, seconds=45)
            traveller.move_to(now)
            busy = (
                Ticket.objects.filter(
                    hall=hall, window__isnull=False, state__in=("called", "serving")
                )
                .select_related("window")
                .order_by("called_at")
                .first()
            )
            window = (
                busy.window
                if busy is not None
                else Window.objects.filter(hall=hall, state=WindowState.OPEN).first()
            )
            clerk = window.clerk
            if busy is not None:
                if busy.state == "called":
                    actions.start(busy, clerk, now=now)
                actions.finish(busy, clerk, now=now)
            called = actions.call_next(window, clerk, now=now)
            for token in measured:
                if called is not None and token == called.token:
                    continue
                took, cpu, count, seen = poll(token)
                after.append((took, cpu, count))
                changed += seen != shown[token]
        print(
            json.dumps(
                {
                    "hall": args.hall,
                    "history_days": args.history,
                    "at": args.at,
                    "waiting": len(order),
                    "open_windows": open_windows,
                    "tickets_polled": len(measured),
                    "first": _figures(first),
                    "again": _figures(again),
                    "after_event": _figures(after),
                    "moved_within_minute": moved,
                    "changed_after_event": changed,
                    "load_average": round(os.getloadavg()[0], 2),
                }
            )
        )


def _range_of(page: str) -> str:
    """The page's wait range as shown (the figures around the range's dash), for comparing
    two polls' answers."""
    import re

    found = re.findall(r"(\d+)\s*–\s*(\d+)", page)
    return json.dumps(found)


def _figures(samples: list[tuple[float, float, int]]) -> dict[str, float]:
    """Wall ms (mean, median, max), this process's CPU ms (mean, median: what a poll costs the
    server, less sensitive to a loaded machine than the wall time) and SQL statements (mean)."""
    ms = sorted(took for took, _cpu, _count in samples)
    cpu = sorted(cpu for _took, cpu, _count in samples)
    return {
        "n": len(ms),
        "ms_mean": round(sum(ms) / len(ms), 2),
        "ms_p50": round(statistics.median(ms), 2),
        "ms_max": round(ms[-1], 2),
        "cpu_ms_mean": round(sum(cpu) / len(cpu), 2),
        "cpu_ms_p50": round(statistics.median(cpu), 2),
        "queries_mean": round(sum(count for *_times, count in samples) / len(samples), 2),
    }


if __name__ == "__main__":
    main()
