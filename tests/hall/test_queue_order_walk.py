"""The interleave order stops walking turns once a lane is empty: the same order as the
turn-by-turn walk it replaced (an empty lane yields its turn), on random queues."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import pytest

from hotline.hall import queue, snapshot

BASE = dt.datetime(2023, 3, 9, 9, tzinfo=dt.UTC)


def turn_by_turn(
    waiting: Sequence[queue.Waiting], policy: queue.Policy, recent: Sequence[bool]
) -> list[queue.Waiting]:
    """The N:M walk as first written: every turn taken, an empty lane yielding each time."""
    lanes = {
        True: sorted((t for t in waiting if t.lane), key=lambda t: (t.queued_at, t.id)),
        False: sorted((t for t in waiting if not t.lane), key=lambda t: (t.queued_at, t.id)),
    }
    lane, used = queue._interleave_turn(recent, policy.n_priority, policy.m_regular)
    taken = {True: 0, False: 0}
    result: list[queue.Waiting] = []
    while taken[True] < len(lanes[True]) or taken[False] < len(lanes[False]):
        quota = policy.n_priority if lane else policy.m_regular
        if taken[lane] >= len(lanes[lane]) or used >= quota:
            lane, used = not lane, 0
            continue
        result.append(lanes[lane][taken[lane]])
        taken[lane] += 1
        used += 1
    return result


@pytest.mark.parametrize("seed", range(40))
def test_interleave_order_is_the_turn_by_turn_order(seed):
    rng = random.Random(seed)
    share = rng.choice([0.0, 0.05, 0.3, 0.7, 1.0])
    waiting = [
        queue.Waiting(
            i,
            rng.choice(["elderly", "pregnant"]) if rng.random() < share else "regular",
            BASE + dt.timedelta(seconds=rng.randrange(3600)),
        )
        for i in range(rng.randrange(0, 60))
    ]
    policy = queue.Policy(n_priority=rng.randrange(1, 4), m_regular=rng.randrange(1, 4))
    recent = [rng.random() < 0.5 for _ in range(rng.randrange(0, 6))]
    assert queue.order(waiting, policy, recent) == turn_by_turn(waiting, policy, recent)


def test_an_empty_priority_lane_leaves_the_regular_lane_first_come_first_served():
    waiting = [queue.Waiting(i, "regular", BASE - dt.timedelta(minutes=i)) for i in range(5)]
    assert [t.id for t in queue.order(waiting, queue.Policy(), [True, True])] == [4, 3, 2, 1, 0]


@pytest.mark.parametrize("rule", [queue.STRICT, queue.INTERLEAVE, queue.TIME_WEIGHTED])
@pytest.mark.parametrize("seed", range(10))
def test_the_queue_reads_rows_are_ordered_as_waiting_tickets_are(rule, seed):
    """snapshot.ordered orders the queue read's Light rows in place (queue.Fields): the same
    order as wrapping each as a Waiting, under every rule."""
    rng = random.Random(seed)
    rows = [
        snapshot.Light(
            i,
            rng.choice([1, 2]),
            None,
            rng.choice(["elderly", "green"]) if rng.random() < 0.3 else "regular",
            # Ties in queue time: the id decides.
            BASE + dt.timedelta(seconds=rng.randrange(600)),
        )
        for i in range(rng.randrange(0, 80))
    ]
    policy = queue.Policy(rule=rule, n_priority=rng.randrange(1, 4), m_regular=rng.randrange(1, 4))
    recent = [rng.random() < 0.5 for _ in range(rng.randrange(0, 6))]
    wrapped = queue.order(snapshot.as_waiting(rows), policy, recent)
    in_place = queue.order(rows, policy, recent, snapshot.LIGHT_ORDER_FIELDS)
    assert [t.pk for t in in_place] == [w.id for w in wrapped]
    assert all(type(t) is snapshot.Light for t in in_place)
