"""The wait estimate's play, made cheaper for long queues (a ticket's issue plays the whole
queue), must give the citizen exactly the figure it gave before: the play as it stood at
93ca0e1 is kept here as the reference and both are run on generated hall states — transferred
tickets, windows with heavier matters, busy windows, expected priority visitors under every
queue rule — comparing the minutes to the last bit, not only the range shown."""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections import deque
from collections.abc import Sequence

import pytest

from hotline.hall import queue as fairness
from hotline.hall.estimate import Expected, Queued, Seat, as_range, placed, played_forward


def reference_played_forward(
    target: int,
    queue: Sequence[Queued],
    seats: Sequence[Seat],
    cycles: dict[int, float],
    expected: Sequence[Expected] = (),
) -> float | None:
    """hotline.hall.estimate.played_forward at 93ca0e1 (per-matter heaps), unchanged."""
    by_matter: dict[int, list[tuple[float, int, Queued | None]]] = {}
    by_window: dict[int, deque[Queued]] = {}
    for position, ticket in enumerate(queue):
        if ticket.target_window is None:
            by_matter.setdefault(ticket.matter, []).append((float(position), ticket.id, ticket))
        else:
            by_window.setdefault(ticket.target_window, deque()).append(ticket)
    coming = sorted(expected, key=lambda e: e.at)
    let_in = 0
    tiers = [
        [
            sorted(m for m, w in seat.weights.items() if w == weight)
            for weight in sorted(set(seat.weights.values()), reverse=True)
        ]
        for seat in seats
    ]
    free = [(seat.free_in, index) for index, seat in enumerate(seats)]
    heapq.heapify(free)
    while free:
        at, index = heapq.heappop(free)
        while let_in < len(coming) and coming[let_in].at <= at:
            visitor = coming[let_in]
            entry = (visitor.key, -1 - let_in, None)
            heapq.heappush(by_matter.setdefault(visitor.matter, []), entry)
            let_in += 1
        mine = by_window.get(seats[index].id)
        matter: int | None = None
        if mine:
            taken: Queued | None = mine.popleft()
            assert taken is not None
            matter = taken.matter
        else:
            source = None
            for tier in tiers[index]:
                heads = [(by_matter[m][0], m) for m in tier if by_matter.get(m)]
                if heads:
                    source = min(heads)[1]
                    break
            if source is None:
                later = next(
                    (e.at for e in coming[let_in:] if e.matter in seats[index].weights), None
                )
                if later is not None:
                    heapq.heappush(free, (later, index))
                continue
            taken = heapq.heappop(by_matter[source])[2]
            matter = source
        if taken is not None and taken.id == target:
            return at
        heapq.heappush(free, (at + cycles[matter], index))
    return None


MATTERS = (1, 2, 3, 4)
RULES = (
    fairness.Policy(rule=fairness.STRICT),
    fairness.Policy(rule=fairness.INTERLEAVE, n_priority=2, m_regular=1),
    fairness.Policy(rule=fairness.TIME_WEIGHTED, boost=dt.timedelta(minutes=15)),
)


def a_hall(rng: random.Random) -> tuple[list[Queued], list[Seat], dict[int, float], list]:
    """A random hall: 1–12 windows, each serving some matters with weights 1–3, some busy; a
    queue of 0–150 tickets (a few transferred to a window, some priority), in calling order as
    generated; the matters' cycles; expected priority arrivals over two hours."""
    seats = []
    for window in range(1, rng.randint(1, 12) + 1):
        served = rng.sample(MATTERS, rng.randint(1, len(MATTERS)))
        weights = {m: rng.choice((1, 1, 2, 3)) for m in served}
        seats.append(Seat(window, weights, rng.choice((0.0, 0.0, rng.uniform(0.1, 12.0)))))
    queue = []
    since = -rng.uniform(0, 90)
    for n in range(rng.randint(0, 150)):
        since += rng.uniform(0, 2)
        target = rng.choice([s.id for s in seats]) if rng.random() < 0.05 else None
        if rng.random() < 0.02:
            target = 99  # transferred to a window that is closed now
        queue.append(Queued(1000 + n, rng.choice(MATTERS), target, rng.random() < 0.2, since))
    cycles = {m: rng.choice((6.0, 10.0, rng.uniform(2.0, 15.0))) for m in MATTERS}
    arrivals = sorted(
        (rng.uniform(0, 120), rng.choice(MATTERS), True) for _ in range(rng.randint(0, 12))
    )
    if arrivals and rng.random() < 0.3:  # two visitors expected at the same moment
        first = arrivals[0]
        arrivals.insert(1, (first[0], rng.choice(MATTERS), True))
    return queue, seats, cycles, arrivals


@pytest.mark.parametrize("seed", range(12))
def test_the_play_gives_the_same_minutes_as_before_on_generated_halls(seed):
    rng = random.Random(seed)
    compared = 0
    for _ in range(60):
        queue, seats, cycles, arrivals = a_hall(rng)
        policy = rng.choice(RULES)
        expected = placed(queue, arrivals, policy) if rng.random() < 0.7 else []
        # Every waiting ticket's estimate (the "my place" page), and a newcomer's (an issue).
        newcomer = Queued(2**62, rng.choice(MATTERS), None, rng.random() < 0.2, 0.0)
        for target in [q.id for q in queue] + [newcomer.id]:
            states = [*queue, newcomer] if target == newcomer.id else queue
            before = reference_played_forward(target, states, seats, cycles, expected)
            after = played_forward(target, states, seats, cycles, expected)
            assert after == before, (seed, target)
            if before is not None:
                assert as_range(after) == as_range(before)
            compared += 1
    assert compared > 1000  # the states are not all empty


def test_a_long_queue_is_played_to_its_end():
    # 1,200 waiting, 40 windows serving both matters alike, all free, every cycle 6 minutes:
    # the windows call in rounds of 40, so the 1,200th ticket is in the 30th round, called
    # after 29 cycles (174 minutes); the 41st after one (6).
    queue = [Queued(n, 1 + n % 2, None) for n in range(1200)]
    seats = [Seat(w, {1: 1, 2: 1}, 0.0) for w in range(1, 41)]
    alike = {1: 6.0, 2: 6.0}
    assert played_forward(1199, queue, seats, alike) == 174.0
    assert played_forward(40, queue, seats, alike) == 6.0
    # With cycles of 6 and 9 minutes the windows drift apart: only the reference says when.
    mixed = {1: 6.0, 2: 9.0}
    assert played_forward(1199, queue, seats, mixed) == reference_played_forward(
        1199, queue, seats, mixed
    )
