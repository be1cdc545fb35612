"""先行联系率 and 按时办结率's populations counted from rounds grouped in SQL (``populations``) are
the ones the event-by-event round builder (``rounds`` with ``contact_counts`` and
``reply_counts``) finds: the same rounds, for the same units, with the same verdicts.

Two histories: the demo district's orders, filed through the real actions (returns, reopens,
extensions, sub-unit hand-overs, merges); and bench/kpi.py's generated year with detours the
generator does not write — deadlines recorded by the round's start (some later than today's
terms give), events that did not record whether they were on time, approved extensions, hand-overs
to a sub-unit, a dispatch that names no unit. Each month, and weeks and days across month ends.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
from collections import Counter
from pathlib import Path

import pytest
from django.test import override_settings

from hotline.assessment import rounds
from hotline.org import demo
from hotline.org.models import Unit
from tests.conftest import at

BENCH = Path(__file__).resolve().parents[2] / "bench" / "kpi.py"


def event_by_event(start: dt.datetime, end: dt.datetime) -> Counter:
    """What the KPIs counted before session 28: every round built in Python, then filtered."""
    cells: Counter = Counter()
    for round_ in rounds.rounds(start, end):
        if rounds.contact_counts(round_, start, end):
            cells[round_.order_id, round_.unit_id, "contact", round_.contacted_on_time] += 1
        if rounds.reply_counts(round_, start, end):
            cells[round_.order_id, round_.unit_id, "reply", bool(round_.replied_on_time)] += 1
    return cells


def grouped_in_sql(start: dt.datetime, end: dt.datetime) -> Counter:
    return Counter((c.order_id, c.unit_id, c.kpi, c.met) for c in rounds.populations(start, end))


def periods(first: str, months: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """Each month from ``first``, a week and a day across each month's end, and all months."""
    begin = at(f"{first}-01 00:00")
    result, start = [], begin
    for _ in range(months):
        end = (start + dt.timedelta(days=32)).replace(day=1)
        result += [
            (start, end),
            (end - dt.timedelta(days=3), end + dt.timedelta(days=4)),
            (end - dt.timedelta(hours=9), end + dt.timedelta(hours=15)),
        ]
        start = end
    return [*result, (begin, start)]


def assert_same(first: str, months: int) -> Counter:
    seen: Counter = Counter()
    for start, end in periods(first, months):
        expected = event_by_event(start, end)
        assert grouped_in_sql(start, end) == expected, (start, end)
        for _order_id, _unit, kpi, met in expected:
            seen[kpi, met] += 1
    return seen


def test_the_demo_districts_rounds_are_counted_alike(db):
    demo.load_district()
    from hotline.orders import demo as demo_orders

    demo_orders.load_orders(count=500, end=at("2026-12-02 12:00"))
    seen = assert_same("2026-09", 3)
    # Met and missed deadlines of both kinds, not an empty comparison.
    assert min(seen.values()) > 20, seen


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("bench_kpi", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def with_detours(stories, rng: random.Random, units: list[int]):
    """bench/kpi.py's stories with what it does not write, at random but reproducibly."""

    def detoured(*args):
        for order, events in stories(*args):
            changed = []
            for order_id, seq, action, when, before, after, unit, payload in events:
                payload = dict(payload)
                roll = rng.random()
                if action == "dispatch" and roll < 0.3:
                    # Recorded at dispatch, sometimes later or earlier than today's terms give
                    # (within rounds.RECORDED_MARGIN of the longest: 15 working days).
                    contact = when + dt.timedelta(hours=rng.choice([4, 20, 30, 200]))
                    reply = when + dt.timedelta(days=rng.choice([1, 5, 7, 20, 30]))
                    payload["first_contact_due"] = contact.isoformat()
                    payload["reply_due"] = reply.isoformat()
                elif action == "dispatch" and roll < 0.31:
                    unit = None  # handed to no unit: no round, and the one before ends
                elif action in ("first_contact", "reply") and roll < 0.04:
                    payload.pop("on_time", None)  # written before events recorded it
                elif action in ("first_contact", "reply") and roll < 0.05:
                    payload["on_time"] = rng.choice([0, 1, "yes", None])
                elif action == "accept" and roll < 0.1:
                    action, unit = "assign_inside", rng.choice(units)  # 二级派单
                elif action in ("overdue", "supervise") and roll < 0.5:
                    action = "approve_extension"
                    payload = {"reply_due": (when + dt.timedelta(days=12)).isoformat()}
                changed.append((order_id, seq, action, when, before, after, unit, payload))
            yield order, changed

    return detoured


@pytest.mark.django_db(transaction=False)
@override_settings(DEMO_HALL_DAYS=0)
def test_a_generated_year_with_every_detour_is_counted_alike(monkeypatch):
    bench = _bench()
    demo.load_district()
    units = list(Unit.objects.handling().values_list("pk", flat=True))
    monkeypatch.setattr(bench, "stories", with_detours(bench.stories, random.Random(28), units))
    built = bench.load(2500, 12345, False)
    assert built["events"] > 12000
    seen = assert_same("2023-02", 10)
    assert min(seen.values()) > 50, seen
