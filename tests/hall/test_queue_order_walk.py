"""The interleave order stops walking turns once a lane is empty: the same order as the
turn-by-turn walk it replaced (an empty lane yields its turn), on random queues."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import pytest

from hotline.hall import queue

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
