"""Service hall under load on PostgreSQL: ticket issue rate and 40 windows calling at once.

    python bench/hall_calls.py [--windows 40] [--rate 20] [--seconds 30] [--tickets 1200]
                               [--processes 8 | --threads] [--issue-threads 4] [--skip-case]

A throwaway database (``$BENCH_DATABASE_URL`` if set, else a cluster from ``bin/pg-throwaway``)
gets one hall with ``--windows`` open windows, a clerk at each, and one matter. First
``--tickets`` tickets are issued through :func:`hotline.hall.actions.issue` by ``--issue-threads``
threads (tickets per second, with the position and wait estimate each ticket records). Then the
windows call ``call_next`` → start → finish in a loop, together paced at ``--rate`` calls a
second, for ``--seconds``: call-next latency p50/p95/p99 (start and finish p50/p99 beside it) and
the check that no ticket was called twice (one call event per ticket). Every 0.2 s of the
calling phase the sessions waiting for a lock are sampled (``lock_wait_samples``, and
``lock_waits``: the statements most often found waiting, sessions × samples).

The windows are spread over ``--processes`` worker processes (default 8, five windows each, one
thread and one database connection per window), as a deployment spreads the clerks' requests
over its web workers; ``--threads`` puts all of them in this one process, where every window's
start and finish compete for one interpreter lock with the calls being timed (the shape of the
first measurements). ``--skip-case`` replaces the case opened at start
(:func:`hotline.cases.actions.open_for_ticket`) with nothing: a diagnostic of its share, not a
figure for the target. Targets (issue 17): call-next p99 ≤ 50 ms at 20 calls/s with 40 windows;
issue ≥ 100 tickets/s (bench/hall_tickets.py measures that). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def run(args: argparse.Namespace) -> dict[str, Any]:
    import django

    os.environ.setdefault("SECRET_KEY", "bench-only-signing-key-never-used-in-production-4f9")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    os.environ["DEBUG"] = "false"
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hotline.hall import actions
    from hotline.hall.models import Hall, Ticket, TicketEvent, Window, WindowMatter
    from hotline.matters.models import Matter
    from hotline.org.models import Role, Unit, UnitKind, User, UserRole

    call_command("migrate", verbosity=0)
    unit = Unit.objects.create(code="bench-hall", name="压测服务中心", kind=UnitKind.SERVICE_CENTRE)
    hall = Hall.objects.create(unit=unit, code="bench")
    matter = Matter.objects.create(code="bench-m", name="压测事项", service_minutes=5)
    windows, clerks = [], []
    for n in range(1, args.windows + 1):
        window = Window.objects.create(hall=hall, number=n)
        WindowMatter.objects.create(window=window, matter=matter)
        clerk = User.objects.create(username=f"bench-clerk-{n}", unit=unit)
        UserRole.objects.create(user=clerk, role=Role.HALL_CLERK)
        actions.sign_in(window, clerk)
        windows.append(window)
        clerks.append(clerk)

    # --- issue ---------------------------------------------------------------------------
    per_thread = args.tickets // args.issue_threads
    issue_errors: list[str] = []

    def issue_some() -> None:
        try:
            for _ in range(per_thread):
                actions.issue(hall, matter, check_hours=False)
        except Exception as exc:  # reported in the result
            issue_errors.append(repr(exc))
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=issue_some) for _ in range(args.issue_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    issue_s = time.perf_counter() - started
    issued = Ticket.objects.filter(hall=hall).count()

    # --- 40 windows calling ----------------------------------------------------------------
    if args.skip_case:
        from hotline.cases import actions as case_actions

        case_actions.open_for_ticket = lambda *a, **k: None  # type: ignore[assignment]
    interval = args.windows / args.rate  # each window calls every `interval` seconds
    begin = time.perf_counter() + 1.0  # perf_counter is the system's monotonic clock: shared
    end = begin + args.seconds

    def window_loop(i: int, timings: dict[str, list[float]], errors: list[str]) -> None:
        window = Window.objects.select_related("hall").get(pk=windows[i].pk)
        clerk = clerks[i]
        next_at = begin + i * interval / args.windows
        try:
            while True:
                pause = next_at - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                if time.perf_counter() >= end:
                    return
                t0 = time.perf_counter()
                ticket = actions.call_next(window, clerk)
                t1 = time.perf_counter()
                timings["call"].append(t1 - t0)
                if ticket is None:
                    return
                actions.start(ticket, clerk)
                t2 = time.perf_counter()
                actions.finish(ticket, clerk)
                timings["start"].append(t2 - t1)
                timings["finish"].append(time.perf_counter() - t2)
                next_at += interval
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    def calling(indexes: list[int]) -> tuple[dict[str, list[float]], list[str]]:
        """These windows, one thread each (list.append is atomic: no lock needed)."""
        timings: dict[str, list[float]] = {"call": [], "start": [], "finish": []}
        errors: list[str] = []
        threads = [threading.Thread(target=window_loop, args=(i, timings, errors)) for i in indexes]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return timings, errors

    waits = LockWaits(os.environ["DATABASE_URL"])
    load_before = os.getloadavg()
    waits.start()
    if args.processes:
        connection.close()  # a forked worker must not share this process's connection
        ctx = multiprocessing.get_context("fork")
        results = ctx.Queue()
        groups = [list(range(p, args.windows, args.processes)) for p in range(args.processes)]
        procs = [ctx.Process(target=lambda g=g: results.put(calling(g))) for g in groups if g]
        for proc in procs:
            proc.start()
        timings: dict[str, list[float]] = {"call": [], "start": [], "finish": []}
        errors: list[str] = []
        for _proc in procs:
            got, failed = results.get()
            for name, values in got.items():
                timings[name].extend(values)
            errors.extend(failed)
        for proc in procs:
            proc.join()
    else:
        timings, errors = calling(list(range(args.windows)))
    load_after = os.getloadavg()
    waits.stop()
    latencies = timings["call"]
    calls = TicketEvent.objects.filter(hall=hall, action="call")
    per_ticket = list(calls.values_list("ticket_id", flat=True))
    duplicates = len(per_ticket) - len(set(per_ticket))
    ms = [x * 1000 for x in latencies]

    def p50_p99(name: str) -> list[float] | None:
        values = [x * 1000 for x in timings[name]]
        if not values:
            return None
        return [round(statistics.median(values), 1), round(percentile(values, 0.99), 1)]

    return {
        "backend": connection.vendor,
        "cpus": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "windows": args.windows,
        "window_workers": f"{args.processes} processes" if args.processes else "1 process",
        "case_at_start": not args.skip_case,
        "tickets_issued": issued,
        "issue_threads": args.issue_threads,
        "issue_per_s": round(issued / issue_s, 1),
        "issue_errors": issue_errors[:3],
        "target_rate_calls_per_s": args.rate,
        "calls": len(latencies),
        "achieved_calls_per_s": round(len(latencies) / args.seconds, 1),
        "call_next_ms_p50": round(statistics.median(ms), 1) if ms else None,
        "call_next_ms_p95": round(percentile(ms, 0.95), 1) if ms else None,
        "call_next_ms_p99": round(percentile(ms, 0.99), 1) if ms else None,
        "start_ms_p50_p99": p50_p99("start"),
        "finish_ms_p50_p99": p50_p99("finish"),
        "tickets_called_twice": duplicates,
        "lock_wait_samples": waits.samples,
        "lock_waits": waits.top(),
        "errors": errors[:3],
        "meets_call_target": bool(ms) and percentile(ms, 0.99) <= 50 and not duplicates,
        "meets_issue_target": issued / issue_s >= 100,
    }


class LockWaits(threading.Thread):
    """Every 0.2 s of the calling phase, the sessions waiting for a lock (``pg_stat_activity``,
    from a connection of its own), counted by the head of their statement: a lock held to commit
    on the call → start → finish path (the case counter's row was one) shows up here."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.halt = threading.Event()
        self.samples = 0
        self.seen: dict[str, int] = {}

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.halt.wait(0.2):
                self.samples += 1
                rows = conn.execute(
                    "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM "
                    "pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                ).fetchall()
                for (query,) in rows:
                    self.seen[query] = self.seen.get(query, 0) + 1

    def stop(self) -> None:
        self.halt.set()
        self.join()

    def top(self) -> dict[str, int]:
        """The five statements most often found waiting (sessions × samples)."""
        return dict(sorted(self.seen.items(), key=lambda kv: -kv[1])[:5])


def _create_database(url: str) -> None:
    """A fresh cluster has only the maintenance database: create the one the URL names."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--tickets", type=int, default=1200)
    parser.add_argument("--issue-threads", type=int, default=4)
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--processes", type=int, default=8)
    shape.add_argument("--threads", action="store_true", help="all windows in this process")
    parser.add_argument("--skip-case", action="store_true")
    args = parser.parse_args()
    if args.threads:
        args.processes = 0
    print(json.dumps(on_postgres(run, args), ensure_ascii=False))


def on_postgres(
    run: Callable[[argparse.Namespace], dict[str, Any]], args: argparse.Namespace
) -> dict[str, Any]:
    """``run(args)`` against ``$BENCH_DATABASE_URL``, else a throwaway cluster stopped afterwards
    (``{"skipped": why}`` when none can start). Shared by bench/hall_tickets.py."""
    url = os.environ.get("BENCH_DATABASE_URL")
    pg_dir = None
    with tempfile.TemporaryDirectory(prefix="hotline-bench-hall-") as folder:
        if not url:
            os.chmod(folder, 0o755)  # the server runs as the postgres user
            pg_dir = Path(folder) / "pg"
            started = subprocess.run(
                [str(REPO / "bin" / "pg-throwaway"), "start", str(pg_dir)],
                capture_output=True,
                text=True,
                check=False,
            )
            if started.returncode:
                return {"skipped": started.stderr.strip()}
            url = started.stdout.strip()
            _create_database(url)
        os.environ["DATABASE_URL"] = url
        os.environ["HOTLINE_DATA_DIR"] = folder
        try:
            return run(args)
        finally:
            if pg_dir is not None:
                subprocess.run(
                    [str(REPO / "bin" / "pg-throwaway"), "stop", str(pg_dir)],
                    capture_output=True,
                    check=False,
                )


if __name__ == "__main__":
    main()
