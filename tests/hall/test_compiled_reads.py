"""The reads every issue and call makes keep their compiled statement per process
(snapshot._rows): Django builds each such statement once per hall and day, yet every read is
run again and sees what changed since (the statement is remembered, never the rows)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler

from hotline.hall import actions, snapshot
from hotline.hall.models import Priority, WindowState
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

THURSDAY = at("2023-03-09 10:00").date()
#: How the statements of snapshot.recent_lanes and snapshot.serving begin / name their last column.
LANES_READ = 'SELECT "hall_ticketevent"."priority"'
LINKS_READ = (
    '"matters_matter"."service_minutes" AS "matter__service_minutes" FROM "hall_windowmatter"'
)


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """An empty memo, and the statements Django compiles from here on (their SQL)."""
    monkeypatch.setattr(snapshot, "_compiled", {})
    made: list[str] = []
    real = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        sql, params = real(self, *args, **kwargs)
        made.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return made


def test_a_read_is_compiled_once_and_still_sees_new_rows(town, compiled):
    actions.sign_in(town.w1, town.wendy)
    first = actions.issue(town.hall, town.residence, now=at("2023-03-09 10:00"))
    waiting, busy = snapshot.queue_and_busy(town.hall, THURSDAY)
    assert [t.pk for t in waiting] == [first.pk] and busy == {}

    # The issue compiled the reads this test watches (so the checks below can fail).
    assert [sql for sql in compiled if sql.startswith(LANES_READ)]
    assert [sql for sql in compiled if LINKS_READ in sql]
    if connection.vendor == "postgresql":
        assert [sql for sql in compiled if "UNION" in sql]

    compiled.clear()
    second = actions.issue(
        town.hall, town.allowance, priority=Priority.ELDERLY, now=at("2023-03-09 10:01")
    )
    called = actions.call_next(town.w1, town.wendy, now=at("2023-03-09 10:02"))
    waiting, busy = snapshot.queue_and_busy(town.hall, THURSDAY)
    lanes = snapshot.recent_lanes(town.hall, THURSDAY)
    links = snapshot.serving(town.hall)
    # None of the three reads was compiled again (the issue and the call made other statements;
    # on SQLite the queue's timestamps come as text, so that read keeps the ORM's conversion).
    if connection.vendor == "postgresql":
        assert not [sql for sql in compiled if "UNION" in sql], compiled
    assert not [sql for sql in compiled if sql.startswith(LANES_READ)], compiled
    assert not [sql for sql in compiled if LINKS_READ in sql], compiled
    # …and each saw what changed: the elderly visitor was called first (priority lane), so
    # window 1 is busy with them and the residence ticket still waits.
    assert called is not None and called.pk == second.pk
    assert [t.pk for t in waiting] == [first.pk]
    assert busy == {town.w1.pk: (town.allowance.pk, at("2023-03-09 10:02"))}
    assert lanes == [True]
    assert {(link.window_id, link.open) for link in links if link.window_id == town.w1.pk} == {
        (town.w1.pk, True)
    }

    actions.set_state(
        town.w1, town.wendy, WindowState.PAUSED, reason="系统故障", now=at("2023-03-09 10:03")
    )
    assert town.w1.pk not in {link.window_id for link in snapshot.serving(town.hall) if link.open}


def test_each_hall_and_day_has_its_own_statement(district, compiled):
    one = make_hall(district, "one")
    two = make_hall(district, "two")
    a = actions.issue(one.hall, one.residence, now=at("2023-03-09 10:00"))
    b = actions.issue(two.hall, two.residence, now=at("2023-03-09 10:00"))
    wednesday = actions.issue(
        one.hall, one.residence, now=at("2023-03-08 15:00"), check_hours=False
    )

    assert [t.pk for t in snapshot.queue_and_busy(one.hall, THURSDAY)[0]] == [a.pk]
    assert [t.pk for t in snapshot.queue_and_busy(two.hall, THURSDAY)[0]] == [b.pk]
    on_wednesday = snapshot.queue_and_busy(one.hall, wednesday.day)[0]
    assert [t.pk for t in on_wednesday] == [wednesday.pk]
    assert {link.window_id for link in snapshot.serving(one.hall)} == {
        one.w1.pk,
        one.w2.pk,
        one.w3.pk,
    }
    assert {link.window_id for link in snapshot.serving(two.hall)} == {
        two.w1.pk,
        two.w2.pk,
        two.w3.pk,
    }


def test_the_memo_is_bounded(town, compiled, monkeypatch):
    monkeypatch.setattr(snapshot, "COMPILED_LIMIT", 2)
    for day in range(1, 8):
        snapshot.recent_lanes(town.hall, THURSDAY.replace(day=day))
        assert len(snapshot._compiled) <= 3
