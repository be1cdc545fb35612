"""The rounds' events beside the log (``orders_round_event``, orders migration 0010) hold, for
every event a handling round is made of, what the event and its payload say — whichever way the
event was appended: the real actions (the demo district's orders: dispatch, returns, reopens,
extensions, sub-unit hand-overs, merges, overdue marks), or rows written straight into the log
(bench/kpi.py's COPY, import-history's bulk insert) — and nothing else; emptying the log empties
them. The KPIs' rounds (``rounds.populations``) read them instead of the log's payloads.
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from hotline.appendonly import empty_tables
from hotline.orders.models import Event
from hotline.org import demo
from hotline.org.models import Unit
from tests.conftest import at

BENCH = Path(__file__).resolve().parents[2] / "bench" / "kpi.py"

STARTS = {"dispatch", "redispatch", "approve_return"}
COUNTED = STARTS | {"first_contact", "reply", "assign_inside", "hand_back"}
RECORDING = STARTS | {"reopen", "callback"}


def from_the_log() -> set[tuple]:
    """What each round event says, read from the log in Python (docs/kpis.md, Handling rounds)."""
    expected = set()
    for event in Event.objects.order_by("id").values(
        "id",
        "order_id",
        "seq",
        "action",
        "unit_id",
        "assigned_unit_id",
        "from_state",
        "to_state",
        "payload",
    ):
        action, payload = event["action"], event["payload"] or {}
        into_reopened = event["to_state"] == "reopened" and event["from_state"] != "reopened"
        if action not in COUNTED and not (action in ("reopen", "callback") and into_reopened):
            continue
        judged = None
        if action in ("first_contact", "reply"):
            # Only a JSON true or false is a verdict; 1, "yes" or nothing leave it to the rounds.
            on_time = payload.get("on_time")
            judged = 2 if on_time is True else 1 if on_time is False else 0
        recording = action in RECORDING
        contact_due, reply_due = (payload.get(key) for key in ("first_contact_due", "reply_due"))

        expected.add(
            (
                event["id"],
                event["order_id"],
                event["seq"],
                action,
                event["unit_id"],
                event["assigned_unit_id"],
                1 if action in STARTS or into_reopened else 0,
                judged,
                contact_due if recording and isinstance(contact_due, str) else None,
                reply_due if recording and isinstance(reply_due, str) else None,
            )
        )
    return expected


def beside_the_log() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.event_id, r.order_id, r.seq, r.action, r.unit_id, r.assigned_unit_id,"
            " r.starts, r.judged, r.contact_due, r.reply_due, r.at = e.at"
            " FROM orders_round_event r LEFT JOIN orders_event e ON e.id = r.event_id"
        )
        rows = cursor.fetchall()
    assert all(row[-1] for row in rows), "a row's time is not its event's"
    return {tuple(row[:-1]) for row in rows}


def test_the_demo_districts_round_events_are_beside_the_log(db):
    demo.load_district()
    from hotline.orders import demo as demo_orders

    demo_orders.load_orders(count=300, end=at("2026-12-02 12:00"))
    expected = from_the_log()
    assert beside_the_log() == expected
    actions = {row[3] for row in expected}
    # Hand-overs, returns, first contacts, replies and moves into reopened, not an empty check.
    assert {"dispatch", "approve_return", "first_contact", "reply"} <= actions, actions
    assert any(row[3] in ("reopen", "callback") for row in expected)
    assert Event.objects.count() > len(expected)  # registrations, accepts, callbacks… left out


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("bench_kpi", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=False)
@override_settings(DEMO_HALL_DAYS=0)
def test_rows_written_straight_into_the_log_are_beside_it_too(monkeypatch):
    """bench/kpi.py writes the log with COPY (PostgreSQL) or executemany (SQLite), past the
    actions; with the detours of test_s28 (recorded deadlines, verdicts that are not true or
    false, sub-unit hand-overs, a dispatch naming no unit)."""
    from tests.assessment.test_s28_rounds_counted_in_sql import with_detours

    bench = _bench()
    demo.load_district()
    units = list(Unit.objects.handling().values_list("pk", flat=True))
    monkeypatch.setattr(bench, "stories", with_detours(bench.stories, random.Random(30), units))
    bench.load(400, 12345, False)
    expected = from_the_log()
    assert beside_the_log() == expected
    judged = {row[7] for row in expected}
    assert judged == {0, 1, 2, None}, judged
    assert any(row[8] for row in expected) and any(row[4] is None for row in expected)


def test_emptying_the_log_empties_the_rounds_events(db):
    demo.load_district()
    from hotline.orders import demo as demo_orders

    demo_orders.load_orders(count=20, end=at("2026-12-02 12:00"))
    assert beside_the_log()
    # The demo reset's and test teardown's way: TRUNCATE on PostgreSQL, DELETE FROM on SQLite.
    empty_tables(["orders_event"], cascade=True)
    assert beside_the_log() == set()
