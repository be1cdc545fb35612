"""Near the front, the busy windows' remaining times are drawn, not taken at their mean.

With three windows busy, each with a remaining time of 1 or 9 minutes (mean 5), the first to
free — the wait of the next in line — is 1 minute unless all three take 9 (one chance in eight):
the play with mean times says 5. The point is the median of plays with the times drawn from the
matter's recent cycles longer than the time already taken (hotline.hall.estimate, session 18)."""

from __future__ import annotations

import itertools

import pytest

from hotline.hall import estimate
from hotline.hall.estimate import Queued, Seat, played_forward

MATTER = 1
CYCLES = {MATTER: 10.0}


def busy(window: int, remaining: tuple[float, ...]) -> Seat:
    return Seat(window, {MATTER: 1}, sum(remaining) / len(remaining), remaining)


def test_the_first_window_to_free_is_sooner_than_the_soonest_mean():
    seats = [busy(w, (1.0, 9.0, 1.0, 9.0)) for w in (1, 2, 3)]
    queue = [Queued(7, MATTER, None)]
    mean_play = played_forward(7, queue, seats, CYCLES)
    assert mean_play == 5.0
    assert estimate._with_drawn_remaining(7, queue, seats, CYCLES, (), mean_play) == 1.0


def test_the_same_state_always_gets_the_same_point():
    seats = [busy(w, (0.5, 2.0, 3.5, 7.0, 12.0)) for w in (1, 2)]
    queue = [Queued(i, MATTER, None) for i in (5, 6, 7)]
    first = estimate._with_drawn_remaining(7, queue, seats, CYCLES, (), 9.0)
    assert all(
        estimate._with_drawn_remaining(7, queue, seats, CYCLES, (), 9.0) == first for _ in range(5)
    )


def test_far_back_or_with_nothing_to_draw_the_mean_play_stands():
    seats = [busy(1, (1.0, 9.0, 1.0, 9.0))]
    far = [Queued(i, MATTER, None) for i in range(estimate.DRAW_WITHIN + 1)]
    assert estimate._with_drawn_remaining(far[-1].id, far, seats, CYCLES, (), 99.0) == 99.0
    free = [Seat(1, {MATTER: 1}, 3.0)]  # too few recent cycles to draw from: none given
    assert (
        estimate._with_drawn_remaining(7, [Queued(7, MATTER, None)], free, CYCLES, (), 3.0) == 3.0
    )


def test_a_page_polled_while_nothing_happens_shows_a_point_that_moves_with_the_clock():
    """The draws were seeded with the windows' remaining times, which change every second: a
    "my place" page polled every 10 s jumped between 3–21 and 9–36 minutes with nobody called
    (review, session 18). Seeded by what stays put, the same cycles are drawn each time, less
    the time gone by."""
    recent = (2.0, 2.5, 3.0, 12.0, 13.0, 14.0)
    mean = sum(recent) / len(recent)
    queue = [Queued(5, MATTER, None), Queued(7, MATTER, None)]
    points = []
    for step in range(9):  # 0.5 to 1.83 minutes into the service, every 10 seconds
        elapsed = 0.5 + step / 6
        remaining = tuple(d - elapsed for d in recent if d > elapsed)
        seat = Seat(1, {MATTER: 1}, max(mean - elapsed, 0.15 * mean), remaining)
        mean_play = played_forward(7, queue, [seat], CYCLES)
        assert mean_play is not None
        points.append(estimate._with_drawn_remaining(7, queue, [seat], CYCLES, (), mean_play))
    assert all(later <= earlier + 1e-9 for earlier, later in itertools.pairwise(points))
    assert points[0] - points[-1] == pytest.approx(8 / 6)


def test_the_point_does_not_depend_on_database_ids():
    """The draws were seeded with the ticket's and the windows' ids: PostgreSQL's sequences run
    on across tests, so the same hall state drew other cycles there than on SQLite and a test
    passed on one and failed on the other (CI, session 19). Renumbered, the same state gets the
    same point."""
    # One busy window that ends in 1 or in 9 minutes, even odds: the median of the plays is one
    # or the other, as the draws fall.
    points = set()
    for offset in range(0, 2000, 97):
        seats = [busy(1 + offset, (1.0, 9.0, 1.0, 9.0))]
        queue = [Queued(7 + offset, MATTER, None)]
        points.add(estimate._with_drawn_remaining(7 + offset, queue, seats, CYCLES, (), 5.0))
    assert len(points) == 1
