"""All units' monthly KPIs from a large event log, on SQLite and PostgreSQL, as one JSON line.

    python bench/kpi.py [--orders 1000000] [--backends sqlite,postgres] [--month 2023-06]
                        [--repeat 3] [--seed 12345] [--reuse]

For each backend a throwaway database is migrated from scratch (SQLite: a file in a temporary
folder; PostgreSQL: ``$BENCH_DATABASE_URL`` if set, else a throwaway cluster started with
``bin/pg-throwaway``; with ``--reuse`` and ``$BENCH_DATABASE_URL``, or ``$BENCH_SQLITE_DIR`` for
SQLite's file, a database an earlier run built with the same ``--orders`` and ``--seed`` is only
migrated and timed again), the demo district's units and categories are loaded, and ``--orders``
orders registered over 2023 are generated deterministically from ``--seed`` with their whole
event history (register, dispatch, accept, first contact, reply, review, callback, close, and the
detours: answered at intake, returns, reopens, overdue marks, supervision, merges,
cancellations). Rows are written straight into the tables (COPY on PostgreSQL), not through the
actions: the benchmark measures the KPI computation, not registration. The rounds' events beside
the log (``orders_round_event``) are written by the log's trigger as for any event (orders
migration 0010); a database built before that migration gets them when ``--reuse`` migrates it.

Timed: ``hotline.assessment.kpis.compute`` for ``--month``, every unit, ``--repeat`` times after
one warm-up run (min / median reported). The same month is also computed by DuckDB from the same
events, exported to a columnar table (payload fields extracted) — a reference point for an
analytical engine — and its per-unit numbers are compared with Django's (``duckdb_matches``).
Target: ≤ 2 s on PostgreSQL for 1,000,000 orders on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
YEAR_START = dt.datetime(2023, 1, 1, tzinfo=SHANGHAI)
RECEIPTS = ("dispatch", "redispatch", "approve_return")


class _Story:
    """One order's events as they are appended: seq, time, state and lead unit move along."""

    def __init__(self, order_id: int, at: dt.datetime) -> None:
        self.order_id, self.at, self.state = order_id, at, "registered"
        self.unit: int | None = None
        self.events: list[tuple] = []

    def add(self, action: str, hours: float, to: str | None = None, **payload: Any) -> None:
        self.at += dt.timedelta(hours=hours)
        new = to or self.state
        before = self.state if self.events else ""
        self.events.append(
            (self.order_id, len(self.events) + 1, action, self.at, before, new, self.unit, payload)
        )
        self.state = new


# --- the story of each order ------------------------------------------------------------------


def stories(n: int, seed: int, units: list[int], codes: dict[int, str]) -> Iterator[tuple]:
    """Yield ``(order_row, [event_row, ...])`` for ``n`` orders, deterministically.

    Order rows: (id, number, registered_at, state, lead_unit_id, version, reply_due, overdue).
    Event rows: (order_id, seq, action, at, from_state, to_state, unit_id, payload).
    """
    rng = random.Random(seed)
    year = 365 * 24 * 3600
    per_day: dict[dt.date, int] = {}
    weights = [rng.uniform(0.3, 3.0) for _ in units]
    for order_id in range(1, n + 1):
        at = YEAR_START + dt.timedelta(seconds=rng.randrange(year))
        day = at.date()
        per_day[day] = per_day.get(day, 0) + 1
        number = f"{day:%Y%m%d}-{per_day[day]:06d}"
        story = _Story(order_id, at)
        add = story.add
        add("register", 0, "registered")
        roll = rng.random()
        reply_due = None
        overdue = False
        if roll < 0.25:
            add("answer", 0.1, "answered")
        else:
            story.unit = rng.choices(units, weights)[0]
            add("dispatch", rng.uniform(0.2, 6), "dispatched")
            reply_due = story.at + dt.timedelta(days=7)
            if roll < 0.27:
                add("cancel", rng.uniform(1, 24), "cancelled")
            elif roll < 0.29:
                add("merge", rng.uniform(1, 24), "merged")
            else:
                add("accept", rng.uniform(0.5, 30), "accepted", on_time=rng.random() < 0.9)
                if rng.random() < 0.04:
                    returned_by = codes[story.unit]
                    add("return", rng.uniform(1, 20), "returned")
                    story.unit = rng.choice(units)
                    add("approve_return", rng.uniform(1, 20), "dispatched", returned_by=returned_by)
                    add("accept", rng.uniform(0.5, 30), "accepted", on_time=rng.random() < 0.9)
                rounds = 2 if rng.random() < 0.05 else 1
                for round_ in range(rounds):
                    if rng.random() < 0.85:
                        add("first_contact", rng.uniform(0.5, 20), on_time=rng.random() < 0.95)
                    if rng.random() < 0.03:
                        add("overdue", rng.uniform(24, 200))
                        overdue = True
                        if rng.random() < 0.3:
                            add("supervise", rng.uniform(1, 24))
                    on_time = rng.random() < 0.88
                    add(
                        "reply", rng.uniform(10, 150), "replied", on_time=on_time, result="resolved"
                    )
                    add("approve_reply", rng.uniform(0.5, 20), "reviewed")
                    verdict = rng.choices(
                        ["satisfied", "basically_satisfied", "dissatisfied"], [70, 20, 10]
                    )[0]
                    resolved = verdict != "dissatisfied" or rng.random() < 0.3
                    if verdict == "dissatisfied" and round_ + 1 < rounds:
                        add(
                            "callback",
                            rng.uniform(1, 48),
                            "reviewed",
                            resolved=resolved,
                            satisfaction=verdict,
                        )
                        add("reopen", rng.uniform(0.5, 12), "reopened")
                    else:
                        add(
                            "callback",
                            rng.uniform(1, 48),
                            "closed",
                            resolved=resolved,
                            satisfaction=verdict,
                        )
        events = story.events
        yield (
            (
                order_id,
                number,
                events[0][3],
                story.state,
                story.unit,
                len(events),
                reply_due,
                overdue,
            ),
            events,
        )


# --- writing the rows -------------------------------------------------------------------------


def _columns(model: Any) -> list[Any]:
    return [f for f in model._meta.concrete_fields]


def load(n: int, seed: int, progress: bool) -> dict[str, Any]:
    """Generate and write the orders and events into the configured database."""
    from django.db import connection, transaction

    from hotline.orders.models import Event, WorkOrder
    from hotline.org.models import Unit

    handling = list(Unit.objects.handling().values_list("pk", "code"))
    units = [pk for pk, _code in handling]
    codes = dict(handling)
    order_fields = _columns(WorkOrder)
    event_fields = _columns(Event)
    given_order = {
        "id",
        "number",
        "registered_at",
        "state",
        "lead_unit",
        "version",
        "reply_due",
        "overdue",
        "title",
        "description",
        "channel",
        "updated_at",
    }
    order_defaults = {f.attname: f.get_default() for f in order_fields if f.name not in given_order}
    pg = connection.vendor == "postgresql"
    order_conv = [_converter(f, pg) for f in order_fields]

    def order_row(o: tuple) -> list[Any]:
        order_id, number, at, state, unit, version, reply_due, overdue = o
        values = {
            **order_defaults,
            "id": order_id,
            "number": number,
            "registered_at": at,
            "state": state,
            "lead_unit_id": unit,
            "version": version,
            "reply_due": reply_due,
            "overdue": overdue,
            "title": "路灯不亮",
            "description": "基准测试工单",
            "channel": "phone",
            "updated_at": at,
        }
        return [
            values[f.attname] if c is None else c(values[f.attname])
            for f, c in zip(order_fields, order_conv, strict=True)
        ]

    event_names = [f.attname for f in event_fields]
    expected = [
        "id",
        "order_id",
        "seq",
        "action",
        "actor_id",
        "actor_unit_id",
        "at",
        "from_state",
        "to_state",
        "unit_id",
        "assigned_unit_id",
        "reason",
        "payload",
    ]
    # The bench's orders stay with their first-level unit: assigned_unit_id is left empty (None).
    if sorted(event_names) != sorted(expected):
        raise SystemExit(f"orders_event has other columns now: {event_names}; update the bench")
    at_conv = _converter(Event._meta.get_field("at"), pg) or (lambda v: v)
    position = {name: i for i, name in enumerate(event_names)}

    def event_row(e: tuple, event_id: int) -> list[Any]:
        order_id, seq, action, at, from_state, to_state, unit, payload = e
        row: list[Any] = [None] * len(event_names)
        row[position["id"]] = event_id
        row[position["order_id"]] = order_id
        row[position["seq"]] = seq
        row[position["action"]] = action
        row[position["at"]] = at_conv(at)
        row[position["from_state"]] = from_state
        row[position["to_state"]] = to_state
        row[position["unit_id"]] = unit
        row[position["reason"]] = ""
        row[position["payload"]] = json.dumps(payload)
        return row

    order_table, event_table = WorkOrder._meta.db_table, Event._meta.db_table
    order_cols = ", ".join(connection.ops.quote_name(f.column) for f in order_fields)
    event_cols = ", ".join(connection.ops.quote_name(f.column) for f in event_fields)
    started = time.perf_counter()
    events_written = 0
    batch_orders: list[list[Any]] = []
    batch_events: list[list[Any]] = []

    def flush(cursor: Any) -> None:
        if pg:
            with cursor.copy(f"COPY {order_table} ({order_cols}) FROM STDIN") as copy:
                for row in batch_orders:
                    copy.write_row(row)
            with cursor.copy(f"COPY {event_table} ({event_cols}) FROM STDIN") as copy:
                for row in batch_events:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(order_fields))
            cursor.executemany(
                f"INSERT INTO {order_table} ({order_cols}) VALUES ({marks})", batch_orders
            )
            marks = ", ".join(["%s"] * len(event_fields))
            cursor.executemany(
                f"INSERT INTO {event_table} ({event_cols}) VALUES ({marks})", batch_events
            )
        batch_orders.clear()
        batch_events.clear()

    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        for i, (order, events) in enumerate(stories(n, seed, units, codes), start=1):
            batch_orders.append(order_row(order))
            for event in events:
                events_written += 1
                batch_events.append(event_row(event, events_written))
            if len(batch_orders) >= 20000:
                flush(raw if pg else cursor)
                if progress:
                    print(f"  {i:,} orders, {events_written:,} events", file=sys.stderr)
        flush(raw if pg else cursor)
    if pg:
        with connection.cursor() as cursor:
            for table in ("orders_workorder", "orders_event"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "orders": n,
        "events": events_written,
        "load_s": round(time.perf_counter() - started, 1),
    }


def _converter(field: Any, pg: bool) -> Any:
    """A fast value → database value function for one column (called millions of times, so
    decided once per column rather than through ``get_db_prep_value`` per value)."""
    kind = field.get_internal_type()
    if kind == "JSONField":
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    if pg:
        return None  # psycopg's COPY adapts datetimes, booleans and numbers itself
    if kind == "DateTimeField":
        # What Django's SQLite backend stores: UTC wall-clock time without a zone.
        return lambda v: (
            None if v is None else v.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
        )
    if kind == "BooleanField":
        return lambda v: None if v is None else int(v)
    if kind == "DecimalField":
        return lambda v: None if v is None else str(v)
    return None


# --- timing -----------------------------------------------------------------------------------


def time_kpis(month: str, repeat: int) -> dict[str, Any]:
    from django.db import connection, reset_queries

    from hotline.assessment import kpis, periods
    from hotline.orders.models import Event

    start, end = periods.month(month)
    kpis.compute(start, end)  # warm-up: caches, the settings row
    times = []
    for _ in range(repeat):
        reset_queries()
        began = time.perf_counter()
        report = kpis.compute(start, end)
        times.append(time.perf_counter() - began)
    in_month = Event.objects.filter(at__gte=start, at__lt=end).count()
    own = {
        u.code: (
            u.volume,
            u.ratios[kpis.REOPEN].numerator,
            u.ratios[kpis.RESOLUTION].numerator,
            u.ratios[kpis.SATISFACTION_SCORE].numerator,
            u.overdue,
        )
        for u in report.units
    }
    return {
        "vendor": connection.vendor,
        "events_in_month": in_month,
        "units": len(report.units),
        "kpi_s_min": round(min(times), 3),
        "kpi_s_median": round(statistics.median(times), 3),
        "runs": [round(t, 3) for t in times],
        "_figures": own,
    }


def duckdb_reference(month: str, repeat: int, export_dir: Path) -> dict[str, Any]:
    """The same month's KPIs by DuckDB over the events exported as CSV (payload flattened)."""
    import duckdb
    from django.db import connection

    from hotline.assessment import periods
    from hotline.org.models import Unit

    start, end = periods.month(month)
    path = export_dir / "events.csv"
    with connection.cursor() as cursor, path.open("w", newline="") as handle:
        cursor.execute(
            "SELECT order_id, seq, action, at, from_state, to_state, unit_id, payload"
            " FROM orders_event"
        )
        writer = csv.writer(handle)
        writer.writerow(
            [
                "order_id",
                "seq",
                "action",
                "ts",
                "from_state",
                "to_state",
                "unit_id",
                "on_time",
                "resolved",
                "satisfaction",
                "returned_by",
            ]
        )
        while rows := cursor.fetchmany(50000):
            for order_id, seq, action, at, from_state, to_state, unit_id, payload in rows:
                p = payload if isinstance(payload, dict) else json.loads(payload or "{}")
                if isinstance(at, str):
                    at = dt.datetime.fromisoformat(at)
                if at.tzinfo is None:  # SQLite keeps UTC without a zone
                    at = at.replace(tzinfo=dt.UTC)
                writer.writerow(
                    [
                        order_id,
                        seq,
                        action,
                        at.astimezone(dt.UTC).isoformat(),
                        from_state or "",
                        to_state,
                        unit_id if unit_id is not None else "",
                        p.get("on_time", ""),
                        p.get("resolved", ""),
                        p.get("satisfaction", ""),
                        p.get("returned_by", ""),
                    ]
                )
    db = duckdb.connect()
    db.execute(f"CREATE TABLE e AS SELECT * FROM read_csv_auto('{path}', header=true)")
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    codes = dict(Unit.objects.values_list("pk", "code"))
    sql = """
    WITH gone AS (
      SELECT DISTINCT order_id FROM e WHERE to_state IN ('merged','cancelled') AND ts < $end
    ), ev AS (
      SELECT * FROM e WHERE ts >= $start AND ts < $end AND unit_id IS NOT NULL
        AND order_id NOT IN (SELECT order_id FROM gone)
    )
    SELECT ev.unit_id,
      count(*) FILTER (WHERE action IN ('dispatch','redispatch','approve_return')) AS volume,
      count(*) FILTER (WHERE to_state = 'reopened' AND coalesce(from_state, '') <> 'reopened')
        AS reopened,
      count(*) FILTER (WHERE action = 'callback' AND resolved) AS resolved,
      coalesce(sum(CASE satisfaction WHEN 'satisfied' THEN 100 WHEN 'basically_satisfied' THEN 80
               ELSE 0 END) FILTER (WHERE action = 'callback'), 0) AS points,
      count(*) FILTER (WHERE action = 'overdue') AS overdue
    FROM ev
    GROUP BY ev.unit_id
    """
    params = {"start": start.astimezone(dt.UTC), "end": end.astimezone(dt.UTC)}
    db.execute(sql, params).fetchall()  # warm-up
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        rows = db.execute(sql, params).fetchall()
        times.append(time.perf_counter() - began)
    totals: dict[int, list[int]] = {pk: [0, 0, 0, 0, 0] for pk in parents}
    for unit_id, *counts in rows:
        current: int | None = unit_id
        while current is not None:  # roll up the tree, as kpis.compute does
            totals[current] = [a + int(b) for a, b in zip(totals[current], counts, strict=True)]
            current = parents.get(current)
    return {
        "kpi_s_min": round(min(times), 3),
        "kpi_s_median": round(statistics.median(times), 3),
        "_figures": {codes[pk]: tuple(v) for pk, v in totals.items()},
    }


# --- one backend per process ------------------------------------------------------------------


def run_backend(args: argparse.Namespace) -> None:
    """Child process: configure Django for one database, build it, time it, print JSON."""
    import django

    os.environ.setdefault("SECRET_KEY", "bench-only-signing-key-never-used-in-production")
    # A million orders are loaded and indexed in long statements: no statement timeout here.
    os.environ.setdefault("DB_STATEMENT_TIMEOUT", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    os.environ["DEBUG"] = "false"
    os.environ["DEMO_ORDERS"] = "0"
    # The demo halls' simulated days file 差评 rectification orders through the real actions
    # (since session 18): they would take the ids the generated orders are written with, and
    # minutes of set-up. The benchmark wants the district's units and categories only.
    os.environ["DEMO_HALL_DAYS"] = "0"
    django.setup()
    from django.core.management import call_command

    from hotline.orders.models import Event, WorkOrder
    from hotline.org import demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if args.reuse and WorkOrder.objects.count() == args.orders:
        # Built by an earlier run with the same --orders (and, the caller's word, --seed).
        built = {"orders": args.orders, "events": Event.objects.count(), "reused": True}
    else:
        demo.load_district()
        built = load(args.orders, args.seed, args.progress)
    result: dict[str, Any] = {"build_s": round(time.perf_counter() - started, 1), **built}
    result.update(time_kpis(args.month, args.repeat))
    if args.duckdb:
        with tempfile.TemporaryDirectory() as folder:
            reference = duckdb_reference(args.month, args.repeat, Path(folder))
        ours = result["_figures"]
        theirs = reference.pop("_figures")
        result["duckdb"] = reference
        differ = {
            code: (ours[code], theirs.get(code)) for code in ours if ours[code] != theirs.get(code)
        }
        result["duckdb_matches"] = not differ
        if differ:
            result["duckdb_differences"] = dict(list(differ.items())[:3])
    result.pop("_figures")
    print(json.dumps(result))


def _create_database(url: str) -> None:
    """A fresh cluster has only the maintenance database: create the one the URL names."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--month", default="2023-06")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--no-duckdb", dest="duckdb", action="store_false")
    parser.add_argument("--progress", action="store_true", help="print progress to stderr")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with BENCH_DATABASE_URL: time a database an earlier run built with the same "
        "--orders and --seed instead of building it again (a 1,000,000-order build is minutes)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_backend(args)
        return

    results: dict[str, Any] = {
        "orders": args.orders,
        "month": args.month,
        "seed": args.seed,
        "cpus": os.cpu_count(),
    }
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="hotline-bench-kpi-") as folder:
            # BENCH_SQLITE_DIR: keep the SQLite database there (to --reuse it in a later run).
            data_dir = os.environ.get("BENCH_SQLITE_DIR") if backend == "sqlite" else None
            env = {**os.environ, "HOTLINE_DATA_DIR": data_dir or folder}
            env.pop("DATABASE_URL", None)
            pg_dir = None
            if backend == "postgres":
                url = os.environ.get("BENCH_DATABASE_URL")
                if not url:
                    pg_dir = Path(folder) / "pg"
                    os.chmod(folder, 0o755)  # the server runs as the postgres user
                    started = subprocess.run(
                        [str(REPO / "bin" / "pg-throwaway"), "start", str(pg_dir)],
                        capture_output=True,
                        text=True,
                        check=False,
                    )
                    if started.returncode:
                        results[backend] = {"skipped": started.stderr.strip()}
                        continue
                    url = started.stdout.strip()
                    _create_database(url)
                env["DATABASE_URL"] = url
            elif backend != "sqlite":
                parser.error(f"unknown backend {backend!r}")
            try:
                child = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        backend,
                        "--orders",
                        str(args.orders),
                        "--month",
                        args.month,
                        "--repeat",
                        str(args.repeat),
                        "--seed",
                        str(args.seed),
                        *([] if args.duckdb else ["--no-duckdb"]),
                        *(["--progress"] if args.progress else []),
                        *(["--reuse"] if args.reuse else []),
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
            finally:
                if pg_dir is not None:
                    subprocess.run(
                        [str(REPO / "bin" / "pg-throwaway"), "stop", str(pg_dir)],
                        capture_output=True,
                        check=False,
                    )
            if child.returncode:
                results[backend] = {"error": child.stderr.strip().splitlines()[-5:]}
            else:
                results[backend] = json.loads(child.stdout.strip().splitlines()[-1])
                if args.progress:
                    print(child.stderr, file=sys.stderr)
    postgres = results.get("postgres", {})
    if "kpi_s_median" in postgres:
        results["target_s"] = 2.0
        results["meets_target_postgres"] = postgres["kpi_s_median"] <= 2.0
    print(json.dumps(results))


if __name__ == "__main__":
    main()
