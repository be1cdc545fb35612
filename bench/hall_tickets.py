"""Ticket issue on PostgreSQL: tickets a second, where the time goes, and that nothing is lost.

    python bench/hall_tickets.py [--tickets 1200] [--processes 4 | --threads 4] [--windows 40]
                                 [--sample 50] [--profile N [--profile-sort tottime]]
                                 [--play hybrid|full|shipped [--history N] [--busy]]

A throwaway database (``$BENCH_DATABASE_URL`` if set, else a cluster from ``bin/pg-throwaway``)
gets one hall with ``--windows`` open windows and two matters in two queue groups (A, B), as in
bench/hall_calls.py. ``--tickets`` tickets are issued through :func:`hotline.hall.actions.issue` by
``--processes`` worker processes (as a deployment's server workers would; the default) or by
``--threads`` threads of this one process (they share one interpreter lock, so they measure less
than the machine can do), a quarter of them real-name (a holder key, so the one-active-ticket rule
is read). The run is then checked: no number given twice, each prefix numbered 1…n without gaps,
one issue event per ticket. Reported: tickets a second, latency p50/p99, the Python CPU
milliseconds per ticket (all issuing threads or processes, their start-up included;
``issuing_cpu_ms_per_ticket``: only while issuing), the SQL round trips per ticket (counted on a
separate single-threaded pass of ``--sample`` tickets: each ``execute`` is one, a batch of
statements sent at once counts one; psycopg's BEGIN and the COMMIT are not counted) and of them
those with the numbering counter's row locked (``locked_statements_per_ticket``: its upsert
and what follows it before the commit), and the load average. ``--profile N`` also
prints the N most expensive functions of that pass to stderr (cProfile on the process's CPU time,
``--profile-sort`` cumulative or tottime). Each worker process starts as a web worker does
(``import hotline.wsgi``: the warm-up and the garbage collector's freeze of the start-up heap,
hotline.web.warmup) and the clock starts when every worker is ready (a barrier), as in
bench/hall_calls.py; ``python_cpu_ms_per_ticket`` still counts the start-up.
``--no-worker-startup`` keeps the old shape (the clock starts before forking, no start-up). Target
(issue 17): ≥ 100 tickets/s. Prints one JSON line.

``--play hybrid`` (session 24; the default since session 25, when it became what ships; ``--play
shipped`` is the estimate without the full play, its name while that shipped) issues with the
full play on where the hall has history
(:data:`hotline.hall.estimate.FULL_PLAY`, ``FULL_PLAY_NEEDS_HISTORY``); ``--history N`` gives
the hall N tickets served on the day before (else the hybrid gives the shipped estimate), and
``--busy`` makes every window busy with a called ticket before the clock starts. The play runs
only for a ticket with fewer than ``play_model.FULL_WITHIN`` (40) ahead, so ``--tickets 40`` with
a few windows makes every issue play.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import resource
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from hall_calls import on_postgres, percentile  # noqa: E402


def _cpu_s() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _history(hall: Any, matters: list[Any], windows: int, tickets: int) -> None:
    """``tickets`` tickets on the working day before, through the real actions with their
    times: issued evenly over 09:00–17:00, each called at once by the next window in turn,
    started and finished after its matter's minutes (the play's rates, cycles and patience read
    the hall's previous days)."""
    import datetime as dt

    from django.utils import timezone

    from hotline.hall import actions
    from hotline.hall.models import Window
    from hotline.org.models import User

    day = timezone.localdate() - dt.timedelta(days=1)
    opens = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    open_windows = list(Window.objects.filter(hall=hall).order_by("number")[: max(windows, 1)])
    clerks = {w.pk: User.objects.get(username=f"bench-clerk-{w.number}") for w in open_windows}
    for n in range(tickets):
        at = opens + dt.timedelta(minutes=480 * n / tickets)
        matter = matters[n % 2]
        actions.issue(hall, matter, now=at, check_hours=False, check_caps=False)
        window = open_windows[n % len(open_windows)]
        called = actions.call_next(window, clerks[window.pk], now=at + dt.timedelta(minutes=1))
        if called is not None:
            actions.start(called, clerks[window.pk], now=at + dt.timedelta(minutes=1.5))
            done = at + dt.timedelta(minutes=1.5 + matter.service_minutes)
            actions.finish(called, clerks[window.pk], now=done)


def run(args: argparse.Namespace) -> dict[str, Any]:
    import django

    os.environ.setdefault("SECRET_KEY", "bench-only-signing-key-never-used-in-production-4f9")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    os.environ["DEBUG"] = "false"
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from hotline.hall import actions, estimate
    from hotline.hall.actions import tickets
    from hotline.hall.identity import holder_key
    from hotline.hall.models import Hall, Ticket, TicketEvent, Window, WindowMatter
    from hotline.matters.models import Matter
    from hotline.org.models import Role, Unit, UnitKind, User, UserRole

    # Before the workers fork: each inherits the switches (session 24). ``shipped``: the
    # estimate without the full play (on by default since session 25).
    estimate.FULL_PLAY = args.play != "shipped"
    if args.play != "shipped":
        estimate.FULL_PLAY_NEEDS_HISTORY = args.play == "hybrid"
    call_command("migrate", verbosity=0)
    unit = Unit.objects.create(code="bench-hall", name="压测服务中心", kind=UnitKind.SERVICE_CENTRE)
    hall = Hall.objects.create(unit=unit, code="bench")
    matters = [
        Matter.objects.create(code="bench-a", name="压测事项A", queue_group="A", service_minutes=5),
        Matter.objects.create(code="bench-b", name="压测事项B", queue_group="B", service_minutes=8),
    ]
    for n in range(1, args.windows + 1):
        window = Window.objects.create(hall=hall, number=n)
        for matter in matters:
            WindowMatter.objects.create(window=window, matter=matter)
        clerk = User.objects.create(username=f"bench-clerk-{n}", unit=unit)
        UserRole.objects.create(user=clerk, role=Role.HALL_CLERK)
        actions.sign_in(window, clerk)
    if args.history:
        _history(hall, matters, args.windows, args.history)
    busy = []
    if args.busy:
        # Every window busy with a ticket called a few minutes ago, as in a working hall.
        from django.utils import timezone

        for n, window in enumerate(Window.objects.filter(hall=hall).order_by("number")):
            ticket = actions.issue(hall, matters[n % 2], check_hours=False)
            clerk = User.objects.get(username=f"bench-clerk-{window.number}")
            called = actions.call_next(window, clerk, now=timezone.now())
            busy.append(called.pk if called else ticket.pk)
    # Keys are computed before the clock starts: the kiosk form hashes the number, not issue().
    keys = [holder_key(phone=f"139{n:08d}") for n in range(args.tickets + args.sample)]

    # --- concurrent issue ------------------------------------------------------------------
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    workers = args.processes or args.threads
    per_worker = args.tickets // workers

    def issue_some(t: int, ready: Any = None) -> tuple[list[float], list[str], float]:
        took: list[float] = []
        failed: list[str] = []
        if ready is not None:
            # What a web worker does when gunicorn starts it: load the WSGI application, whose
            # start-up warms up and freezes the heap (hotline.web.warmup); then wait for the
            # others, so the clock measures serving, not forking and starting up.
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the bench serves no static files
                import hotline.wsgi  # noqa: F401
            ready.wait()
        # This thread's CPU from here: the issues alone, without the worker's start-up.
        serving_cpu = time.thread_time()
        try:
            for i in range(per_worker):
                n = t * per_worker + i
                key = keys[n] if n % 4 == 0 else ""
                t0 = time.perf_counter()
                actions.issue(hall, matters[n % 2], holder_key=key, check_hours=False)
                took.append(time.perf_counter() - t0)
        except Exception as exc:  # reported in the result
            failed.append(repr(exc))
        finally:
            connection.close()
        return took, failed, time.thread_time() - serving_cpu

    def in_thread(t: int) -> None:
        took, failed, used = issue_some(t)
        with lock:
            latencies.extend(took)
            errors.extend(failed)
            issuing_cpu.append(used)

    issuing_cpu: list[float] = []  # each worker's CPU seconds while issuing (no start-up)
    load_before = os.getloadavg()
    connection.close()  # a forked worker must not share this process's connection
    cpu0, started = _cpu_s(), time.perf_counter()
    if args.processes:
        # Forked workers inherit the set-up objects; each opens its own connection.
        ctx = multiprocessing.get_context("fork")
        results = ctx.Queue()
        startup = not args.no_worker_startup
        ready = ctx.Barrier(args.processes + 1) if startup else None
        procs = [
            ctx.Process(target=lambda t=t: results.put(issue_some(t, ready)))
            for t in range(args.processes)
        ]
        for proc in procs:
            proc.start()
        if ready is not None:
            ready.wait()
            started = time.perf_counter()
        for _proc in procs:
            took, failed, used = results.get()
            issuing_cpu.append(used)
            latencies.extend(took)
            errors.extend(failed)
        for proc in procs:
            proc.join()
    else:
        threads = [threading.Thread(target=in_thread, args=(t,)) for t in range(args.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    wall = time.perf_counter() - started
    cpu = _cpu_s() - cpu0
    load_after = os.getloadavg()
    today = Ticket.objects.filter(hall=hall).order_by("-day").values_list("day", flat=True)[0]
    issued = list(
        Ticket.objects.filter(hall=hall, day=today)
        .exclude(pk__in=busy)
        .values_list("number", flat=True)
    )

    # --- correctness ---------------------------------------------------------------------
    twice = sum(n - 1 for n in Counter(issued).values() if n > 1)
    gaps = []
    first = {"A": 1, "B": 1}
    for n, _pk in enumerate(busy):  # the busy windows' tickets took the first numbers
        first["AB"[n % 2]] += 1
    for prefix in ("A", "B"):
        seq = sorted(int(n[len(prefix) :]) for n in issued if n.startswith(prefix))
        if seq != list(range(first[prefix], first[prefix] + len(seq))):
            gaps.append(prefix)
    issue_events = (
        TicketEvent.objects.filter(hall=hall, action="issue", ticket__day=today)
        .exclude(ticket_id__in=busy)
        .count()
    )

    # --- statements per ticket, and the profile, on a single-threaded pass -------------------
    statements = locked = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal statements, locked
        # The savepoint of the timing transaction below is the bench's, not the issue's.
        issue_s = not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        statements += issue_s
        locked += issue_s and "cpu" in mark  # from the counter's upsert to the commit
        return execute(sql, params, many, context)

    # How long the numbering counter's row stays locked (from its upsert to the commit): every
    # other issue of that prefix waits this long, so it bounds the rate whatever the cores.
    held: list[float] = []
    mark: dict[str, float] = {}
    take_number = tickets._next_number

    def timed_number(*a: Any, **k: Any) -> str:
        mark["cpu"] = time.process_time()
        return take_number(*a, **k)

    def committed() -> None:
        if "cpu" in mark:
            held.append(time.process_time() - mark.pop("cpu"))

    tickets._next_number = timed_number  # type: ignore[assignment]
    played: list[float | None] = []  # the full play's points in the sample pass
    if args.play != "shipped":
        from hotline.hall import play_model

        full_point = play_model.full_point

        def counted(*a: Any) -> float | None:
            found = full_point(*a)
            played.append(found)
            return found

        play_model.full_point = counted  # type: ignore[assignment]
    # CPU time, not wall time: on a loaded machine the wall clock mostly measures the wait for a
    # core and for the database, which says nothing about where this process spends its work.
    profile = cProfile.Profile(time.process_time) if args.profile else None
    with connection.execute_wrapper(count):
        if profile:
            profile.enable()
        for i in range(args.sample):
            key = keys[args.tickets + i] if i % 4 == 0 else ""
            with transaction.atomic():
                transaction.on_commit(committed)
                actions.issue(hall, matters[i % 2], holder_key=key, check_hours=False)
        if profile:
            profile.disable()
    tickets._next_number = take_number  # type: ignore[assignment]
    if profile:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats(args.profile_sort)
        stats.print_stats(args.profile)
        print(out.getvalue(), file=sys.stderr)
    ms = [x * 1000 for x in latencies]
    rate = len(latencies) / wall if wall else 0.0
    return {
        "backend": connection.vendor,
        "cpus": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "windows": args.windows,
        "play": args.play,
        "history_tickets": args.history,
        "busy_windows": len(busy),
        "workers": f"{workers} {'processes' if args.processes else 'threads'}",
        "worker_startup": bool(args.processes) and not args.no_worker_startup,
        "tickets": len(latencies),
        "issue_per_s": round(rate, 1),
        "issue_ms_p50": round(statistics.median(ms), 1) if ms else None,
        "issue_ms_p99": round(percentile(ms, 0.99), 1) if ms else None,
        "python_cpu_ms_per_ticket": round(cpu * 1000 / max(len(latencies), 1), 2),
        "issuing_cpu_ms_per_ticket": round(sum(issuing_cpu) * 1000 / max(len(latencies), 1), 2),
        "sql_per_ticket": round(statements / max(args.sample, 1), 1),
        "locked_statements_per_ticket": round(locked / max(args.sample, 1), 1),
        # Of the sample pass's issues: how many the full play answered (a point, not None).
        "sample_played": sum(p is not None for p in played) if args.play != "shipped" else None,
        "counter_lock_cpu_ms_p50": round(statistics.median(held) * 1000, 2) if held else None,
        "numbers_given_twice": twice,
        "prefixes_with_gaps": gaps,
        "issue_events_match": issue_events == len(issued),
        "errors": errors[:3],
        "meets_issue_target": rate >= 100 and not twice and not gaps and not errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1200)
    workers = parser.add_mutually_exclusive_group()
    workers.add_argument("--processes", type=int, default=4)
    workers.add_argument("--threads", type=int, default=0)
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument(
        "--no-worker-startup",
        action="store_true",
        help="worker processes skip the web worker's start-up and the clock starts before forking",
    )
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument(
        "--play",
        choices=("shipped", "full", "hybrid"),
        default="hybrid",
        help="the wait estimate at issue: without the full play (shipped), the full play "
        "(estimate.FULL_PLAY), or the full play where the hall has history",
    )
    parser.add_argument(
        "--history",
        type=int,
        default=0,
        help="tickets issued, called and finished on the day before (the hybrid plays only "
        "where the hall has history)",
    )
    parser.add_argument(
        "--busy", action="store_true", help="every window busy with a called ticket first"
    )
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--profile-sort", default="cumulative", choices=["cumulative", "tottime"])
    args = parser.parse_args()
    if args.threads:
        args.processes = 0
    print(json.dumps(on_postgres(run, args), ensure_ascii=False))


if __name__ == "__main__":
    main()
