"""The fairness rules as a pure function: FIFO within a lane, and nobody starves."""

from __future__ import annotations

import datetime as dt

from hotline.hall.queue import INTERLEAVE, STRICT, TIME_WEIGHTED, Policy, Waiting, order

T0 = dt.datetime(2023, 3, 9, 9, 0, tzinfo=dt.UTC)


def w(i: int, minute: int, priority: str = "regular") -> Waiting:
    return Waiting(i, priority, T0 + dt.timedelta(minutes=minute))


def ids(tickets):
    return [t.id for t in tickets]


def test_strict_serves_the_priority_lane_first_each_lane_in_arrival_order():
    queue = [w(1, 0), w(2, 1, "elderly"), w(3, 2), w(4, 3, "green"), w(5, 4)]
    assert ids(order(queue, Policy(rule=STRICT))) == [2, 4, 1, 3, 5]


def test_interleave_two_to_one_from_a_fresh_day():
    queue = [
        w(1, 0),
        w(2, 1),
        w(3, 2),
        w(4, 3, "elderly"),
        w(5, 4, "pregnant"),
        w(6, 5, "disabled"),
    ]
    assert ids(order(queue, Policy(rule=INTERLEAVE, n_priority=2, m_regular=1))) == [
        4,
        5,
        1,
        6,
        2,
        3,
    ]


def test_interleave_continues_the_pattern_from_recorded_calls():
    queue = [w(1, 0), w(2, 1), w(4, 3, "elderly"), w(5, 4, "pregnant")]
    # Two priority calls were just made: it is the regular lane's turn.
    assert ids(order(queue, Policy(rule=INTERLEAVE), recent_calls=[False, True, True])) == [
        1,
        4,
        5,
        2,
    ]
    # One priority call so far in this turn: one more priority, then regular.
    assert ids(order(queue, Policy(rule=INTERLEAVE), recent_calls=[False, True])) == [4, 1, 5, 2]


def test_an_empty_lane_yields_its_turn():
    queue = [w(1, 0), w(2, 1), w(3, 2)]
    assert ids(order(queue, Policy(rule=INTERLEAVE), recent_calls=[True, True])) == [1, 2, 3]
    assert ids(order(queue, Policy(rule=INTERLEAVE))) == [1, 2, 3]


def test_time_weighted_moves_priority_ahead_by_the_boost_only():
    boost = dt.timedelta(minutes=15)
    queue = [w(1, 0), w(2, 10, "elderly"), w(3, 20, "elderly")]
    # The elderly visitor at 9:10 counts as 8:55: ahead of 9:00. The one at 9:20 counts as 9:05.
    assert ids(order(queue, Policy(rule=TIME_WEIGHTED, boost=boost))) == [2, 1, 3]


def _serve_a_stream(policy: Policy, calls: int) -> int | None:
    """A regular visitor arrives behind five priority visitors, and another priority visitor
    arrives every minute for an hour; the windows call once a minute. Returns the call at which
    the regular visitor was served (None: never)."""
    waiting = [w(0, 0)] + [w(i, i - 6, "elderly") for i in range(1, 66)]
    recent: list[bool] = []
    for call in range(calls):
        now_minute = call
        present = [t for t in waiting if (t.queued_at - T0).total_seconds() / 60 <= now_minute]
        if not present:
            continue
        first = order(present, policy, recent)[0]
        if first.id == 0:
            return call
        waiting.remove(first)
        recent.append(first.lane)
    return None


def test_no_starvation_under_interleave_or_time_weighted():
    assert _serve_a_stream(Policy(rule=INTERLEAVE, n_priority=2, m_regular=1), 60) == 2
    # Passed only by the priority visitors who came less than 15 minutes after them: 5 + 15.
    served = _serve_a_stream(Policy(rule=TIME_WEIGHTED, boost=dt.timedelta(minutes=15)), 60)
    assert served == 20


def test_strict_is_declared_as_able_to_starve_the_regular_lane():
    assert _serve_a_stream(Policy(rule=STRICT), 50) is None


def test_fifo_within_a_lane_whatever_the_rule():
    queue = [w(i, 60 - i, "elderly" if i % 3 == 0 else "regular") for i in range(1, 30)]
    for policy in (
        Policy(rule=STRICT),
        Policy(rule=INTERLEAVE, n_priority=3, m_regular=2),
        Policy(rule=TIME_WEIGHTED),
    ):
        result = order(queue, policy, [True, False])
        for lane in (True, False):
            times = [t.queued_at for t in result if t.lane == lane]
            assert times == sorted(times)
        assert sorted(ids(result)) == sorted(ids(queue))
