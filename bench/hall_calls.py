"""Service hall under load on PostgreSQL: ticket issue rate and 40 windows calling at once.

    python bench/hall_calls.py [--windows 40] [--rate 20] [--seconds 30] [--tickets 1200]
                               [--processes 8 | --threads] [--issue-threads 4] [--skip-case]
                               [--warmup N] [--no-worker-startup] [--dump FILE]

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
figure for the target.

Each window process starts as a web worker does (``import hotline.wsgi``: the warm-up and the
heap freeze of :mod:`hotline.web.warmup`; ``--no-worker-startup`` skips it, the bench's shape
before). ``--warmup N``: N untimed call → start → finish rounds per window before the timed
phase (``warmup_calls_per_window`` in the JSON; 0 by default). Every timed call is recorded
(``--dump FILE``: one JSON line each) with its process, window, ordinal, wall and thread CPU
time, statements, and from the kernel's scheduler its thread's and its PostgreSQL backend's
wait for a CPU; ``tail`` compares the slowest 1 % with all calls (first calls, CPU,
garbage-collector passes, autovacuum seen nearby) — issue 17's p99 hunt.

Targets (issue 17): call-next p99 ≤ 50 ms at 20 calls/s with 40 windows;
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
    ctx = multiprocessing.get_context("fork")
    # The timed phase starts half a second after the last window is ready (its process started
    # and, with --warmup, its untimed rounds done); perf_counter is the system's monotonic clock,
    # the same in every worker process.
    start_at = ctx.Value("d", 0.0)

    def set_start() -> None:
        start_at.value = time.perf_counter() + 0.5

    ready = ctx.Barrier(args.windows, action=set_start, timeout=600)

    def window_loop(i: int, timings: dict[str, list[float]], errors: list[str], rows: list) -> None:
        window = Window.objects.select_related("hall").get(pk=windows[i].pk)
        clerk = clerks[i]
        statements = [0]

        def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            statements[0] += 1
            return execute(sql, params, many, context)

        def timed(action: Callable[[], Any]) -> tuple[Any, float, float, int, float, list[float]]:
            """``action()`` with its wall and thread CPU seconds, statements, and from the
            kernel's scheduler (ms): this thread's wait for a CPU, its PostgreSQL backend's
            CPU and wait for a CPU."""
            backend = backend_pid()
            client0, server0 = schedstat("thread-self"), schedstat(backend)
            sql0, cpu0, t0 = statements[0], time.thread_time(), time.perf_counter()
            result = action()
            t1 = time.perf_counter()
            cpu = time.thread_time() - cpu0
            client1, server1 = schedstat("thread-self"), schedstat(backend)
            sched = [
                round((client1[1] - client0[1]) / 1e6, 2),
                round((server1[0] - server0[0]) / 1e6, 2),
                round((server1[1] - server0[1]) / 1e6, 2),
            ]
            return result, t1 - t0, cpu, statements[0] - sql0, t0, sched

        try:
            with connection.execute_wrapper(count):
                for _ in range(args.warmup):  # not timed: see --warmup
                    ticket = actions.call_next(window, clerk)
                    if ticket is None:
                        break
                    actions.start(ticket, clerk)
                    actions.finish(ticket, clerk)
                ready.wait()  # every window of every process: the timed phase starts together
                begin = start_at.value
                end = begin + args.seconds
                next_at = begin + i * interval / args.windows
                ordinal = 0
                while True:
                    pause = next_at - time.perf_counter()
                    if pause > 0:
                        time.sleep(pause)
                    if time.perf_counter() >= end:
                        return
                    ticket, wall, cpu, sql, t0, sched = timed(
                        lambda: actions.call_next(window, clerk)
                    )
                    timings["call"].append(wall)
                    row = {
                        "pid": os.getpid(),
                        "window": i + 1,
                        "n": ordinal,
                        "at_s": round(t0 - begin, 4),
                        "late_ms": round((t0 - next_at) * 1000, 2),
                        "wall_ms": round(wall * 1000, 2),
                        "cpu_ms": round(cpu * 1000, 2),
                        "sql": sql,
                        "runq_ms": sched[0],
                        "pg_cpu_ms": sched[1],
                        "pg_runq_ms": sched[2],
                    }
                    rows.append(row)
                    ordinal += 1
                    if ticket is None:
                        return
                    # start and finish: [wall ms, CPU ms, statements]
                    _, wall, cpu, sql, _, _ = timed(lambda t=ticket: actions.start(t, clerk))
                    timings["start"].append(wall)
                    row["start"] = [round(wall * 1000, 2), round(cpu * 1000, 2), sql]
                    _, wall, cpu, sql, _, _ = timed(lambda t=ticket: actions.finish(t, clerk))
                    timings["finish"].append(wall)
                    row["finish"] = [round(wall * 1000, 2), round(cpu * 1000, 2), sql]
                    next_at += interval
        except Exception as exc:
            errors.append(repr(exc))
            ready.abort()  # the other windows stop waiting for this one
        finally:
            connection.close()

    def calling(indexes: list[int]) -> tuple[dict[str, list[float]], list[str], list, list]:
        """These windows, one thread each (list.append is atomic: no lock needed), with this
        process's garbage-collector pauses (a pause stops every thread of the process)."""
        timings: dict[str, list[float]] = {"call": [], "start": [], "finish": []}
        errors: list[str] = []
        rows: list[dict[str, Any]] = []
        if not args.no_worker_startup:
            # What a web worker does when gunicorn starts it: load the WSGI application, whose
            # start-up warms up and freezes the heap (hotline.web.warmup).
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the bench serves no static files
                import hotline.wsgi  # noqa: F401
        pauses = GcPauses()
        threads = [
            threading.Thread(target=window_loop, args=(i, timings, errors, rows)) for i in indexes
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        pauses.stop()
        return timings, errors, rows, pauses.relative_to(start_at.value)

    waits = LockWaits(os.environ["DATABASE_URL"])
    load_before = os.getloadavg()
    waits.start()
    if args.processes:
        connection.close()  # a forked worker must not share this process's connection
        results = ctx.Queue()
        groups = [list(range(p, args.windows, args.processes)) for p in range(args.processes)]
        procs = [ctx.Process(target=lambda g=g: results.put(calling(g))) for g in groups if g]
        for proc in procs:
            proc.start()
        timings: dict[str, list[float]] = {"call": [], "start": [], "finish": []}
        errors: list[str] = []
        rows: list[dict[str, Any]] = []
        gc_pauses: dict[int, list[list[float]]] = {}
        for _proc in procs:
            got, failed, got_rows, got_pauses = results.get()
            for name, values in got.items():
                timings[name].extend(values)
            errors.extend(failed)
            rows.extend(got_rows)
            if got_rows:
                gc_pauses[got_rows[0]["pid"]] = got_pauses
        for proc in procs:
            proc.join()
    else:
        timings, errors, rows, pauses = calling(list(range(args.windows)))
        gc_pauses = {os.getpid(): pauses}
    load_after = os.getloadavg()
    waits.stop()
    latencies = timings["call"]
    calls = TicketEvent.objects.filter(hall=hall, action="call")
    per_ticket = list(calls.values_list("ticket_id", flat=True))
    duplicates = len(per_ticket) - len(set(per_ticket))
    ms = [x * 1000 for x in latencies]

    analysis = tail(rows, gc_pauses)
    vacuumed = [(round(t - start_at.value, 2), q) for t, q in waits.autovacuum]
    if rows:
        analysis["slowest_1pct"]["with_autovacuum_seen"] = sum(
            any(r["at_s"] - 0.2 <= t <= r["at_s"] + r["wall_ms"] / 1000 + 0.2 for t, _ in vacuumed)
            for r in sorted(rows, key=lambda r: -r["wall_ms"])[: max(1, round(len(rows) / 100))]
        )
    if args.dump:
        with args.dump.open("w") as out:
            for r in sorted(rows, key=lambda r: r["at_s"]):
                out.write(json.dumps(r) + "\n")

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
        "autovacuum_seen": vacuumed[:10],
        "checkpoints": waits.checkpoints,
        "worker_startup": not args.no_worker_startup,
        "warmup_calls_per_window": args.warmup,
        "tail": analysis,
        "errors": errors[:3],
        "meets_call_target": bool(ms) and percentile(ms, 0.99) <= 50 and not duplicates,
        "meets_issue_target": issued / issue_s >= 100,
    }


def backend_pid() -> int | None:
    """The process id of this thread's PostgreSQL backend (``None`` before it connects)."""
    from django.db import connection

    raw = connection.connection
    return raw.info.backend_pid if raw is not None else None


def schedstat(who: str | int | None) -> tuple[int, int]:
    """(ns on a CPU, ns waiting for one) of a thread or process, from ``/proc/…/schedstat``;
    zeros when it cannot be read (another machine's server, a kernel without it)."""
    if who is None:
        return 0, 0
    try:
        with open(f"/proc/{who}/schedstat") as f:
            on_cpu, waiting, _ = f.read().split()
        return int(on_cpu), int(waiting)
    except (OSError, ValueError):
        return 0, 0


class GcPauses:
    """The garbage collector's passes in this process (a pass holds the interpreter lock: every
    window thread of the process stands still), as [start s, ms, generation]."""

    def __init__(self) -> None:
        import gc

        self.passes: list[tuple[float, float, int]] = []
        self._began = 0.0
        self._gc = gc
        gc.callbacks.append(self._note)

    def _note(self, phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._began = now
        else:
            self.passes.append((self._began, now - self._began, info["generation"]))

    def stop(self) -> None:
        self._gc.callbacks.remove(self._note)

    def relative_to(self, begin: float) -> list[list[float]]:
        return [[round(t - begin, 4), round(d * 1000, 3), g] for t, d, g in self.passes]


def tail(rows: list[dict[str, Any]], gc_pauses: dict[int, list[list[float]]]) -> dict[str, Any]:
    """What the slowest 1 % of calls have in common, against all calls: whose first call (of its
    window's thread and connection, of its process) it was, CPU, statements, the wait for a CPU
    (this thread's and its PostgreSQL backend's), a garbage-collector pass during it."""
    if not rows:
        return {}
    ordered = sorted(rows, key=lambda r: -r["wall_ms"])
    slow = ordered[: max(1, round(len(rows) / 100))]
    first_of_process = {}
    for r in sorted(rows, key=lambda r: r["at_s"]):
        first_of_process.setdefault(r["pid"], r)
    for r in rows:
        r["first_of_process"] = first_of_process[r["pid"]] is r
        end = r["at_s"] + r["wall_ms"] / 1000
        during = [(ms, g) for t, ms, g in gc_pauses.get(r["pid"], []) if r["at_s"] <= t < end]
        r["gc_ms"] = round(sum(ms for ms, _ in during), 3)
        r["full_gc"] = any(g == 2 for _, g in during)

    def summary(group: list[dict[str, Any]]) -> dict[str, Any]:
        def med(key: str) -> float:
            return round(statistics.median(r[key] for r in group), 2)

        return {
            "calls": len(group),
            "wall_ms_median": med("wall_ms"),
            "cpu_ms_median": med("cpu_ms"),
            "sql_median": med("sql"),
            "runq_ms_median": med("runq_ms"),
            "pg_cpu_ms_median": med("pg_cpu_ms"),
            "pg_runq_ms_median": med("pg_runq_ms"),
            "first_of_window": sum(r["n"] == 0 for r in group),
            "first_of_process": sum(r["first_of_process"] for r in group),
            "gc_ms_median": med("gc_ms"),
            "with_full_gc": sum(r["full_gc"] for r in group),
        }

    later = [r for r in rows if r["n"] > 0]
    later_ms = [r["wall_ms"] for r in later]
    keys = (
        "window",
        "n",
        "at_s",
        "wall_ms",
        "cpu_ms",
        "sql",
        "runq_ms",
        "pg_cpu_ms",
        "pg_runq_ms",
        "gc_ms",
        "full_gc",
    )
    passes = [p for got in gc_pauses.values() for p in got]
    return {
        "slowest_1pct": summary(slow),
        "all": summary(rows),
        "slowest_calls": [{k: r[k] for k in keys} for r in slow],
        "call_next_ms_p99_without_first_of_window": (
            round(percentile(later_ms, 0.99), 1) if later_ms else None
        ),
        "call_next_cpu_ms_p50_p99": [
            round(statistics.median(r["cpu_ms"] for r in rows), 2),
            round(percentile([r["cpu_ms"] for r in rows], 0.99), 2),
        ],
        "gc_passes": len(passes),
        "gc_ms_max": max((p[1] for p in passes), default=0.0),
        "gc_full_passes_ms": sorted((p[1] for p in passes if p[2] == 2), reverse=True)[:10],
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
        self.autovacuum: list[tuple[float, str]] = []  # (perf_counter, its query) when seen
        self.checkpoints = 0

    def run(self) -> None:
        import psycopg

        checkpoints = "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter"
        with psycopg.connect(self.url, autocommit=True) as conn:
            (before,) = conn.execute(checkpoints).fetchone()  # type: ignore[misc]
            while not self.halt.wait(0.2):
                self.samples += 1
                rows = conn.execute(
                    "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM "
                    "pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                ).fetchall()
                for (query,) in rows:
                    self.seen[query] = self.seen.get(query, 0) + 1
                # Background work on the server beside the calls (hypothesis: its I/O or CPU
                # makes the slow calls).
                for (query,) in conn.execute(
                    "SELECT left(query, 60) FROM pg_stat_activity "
                    "WHERE backend_type = 'autovacuum worker'"
                ).fetchall():
                    self.autovacuum.append((time.perf_counter(), query))
            (after,) = conn.execute(checkpoints).fetchone()  # type: ignore[misc]
            self.checkpoints = after - before

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
    parser.add_argument(
        "--warmup",
        type=int,
        default=0,
        help="untimed call/start/finish rounds per window before the timed phase (as a web "
        "worker has served requests before); reported as warmup_calls_per_window",
    )
    parser.add_argument(
        "--no-worker-startup",
        action="store_true",
        help="window processes skip the web worker's start-up (hotline.wsgi: warm-up, gc.freeze)",
    )
    parser.add_argument("--dump", type=Path, help="write every timed call as a JSON line here")
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
