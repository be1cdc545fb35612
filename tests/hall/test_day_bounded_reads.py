"""The reads of a day's calls (the interleave rule's recent lanes on every issue and call, the
board's recent calls every two seconds) start at the day's start, not only at the tickets of
the day: ordered newest first, PostgreSQL may walk the events' time index backwards, and where
the day had no calls yet and the statistics were stale that walk went through every earlier
day's events (0.3 s per issue in the demo week's load). The bound changes no answer."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.clock import start_of_day
from hotline.hall import actions, board, snapshot
from tests.conftest import at

pytestmark = pytest.mark.django_db

WEDNESDAY, THURSDAY = at("2023-03-08 10:00"), at("2023-03-09 10:00")


def _bounded(sql: str) -> bool:
    return '"hall_ticketevent"."at" >=' in sql and str(THURSDAY.date()) in sql


def test_a_new_day_reads_only_its_own_calls(town, monkeypatch):
    monkeypatch.setattr(snapshot, "_compiled", {})
    actions.sign_in(town.w1, town.wendy, now=WEDNESDAY)
    actions.issue(town.hall, town.residence, now=WEDNESDAY)
    actions.call_next(town.w1, town.wendy, now=at("2023-03-08 10:01"))

    with CaptureQueriesContext(connection) as read:
        lanes = snapshot.recent_lanes(town.hall, THURSDAY.date())
        calls = board.recent_calls(town.hall, THURSDAY.date())
    assert lanes == [] and calls == []
    assert len(read.captured_queries) == 2
    assert all(_bounded(q["sql"]) for q in read.captured_queries), read.captured_queries
    # Yesterday's calls are still there for yesterday.
    assert snapshot.recent_lanes(town.hall, WEDNESDAY.date()) == [False]
    assert [c.window for c in board.recent_calls(town.hall, WEDNESDAY.date())] == [town.w1.number]


def test_the_bound_is_the_local_midnight():
    assert snapshot.since_day_start(THURSDAY.date()) == {"at__gte": start_of_day(THURSDAY.date())}
    assert start_of_day(THURSDAY.date()) == at("2023-03-09 00:00")
