"""Near the front, the unannounced priority visitors are drawn in the same plays as the busy
windows' remaining times (hotline.hall.estimate, session 20).

The shown point is judged by its absolute error, which is smallest at the median of the wait.
The play lets the expected priority visitors in evenly spaced, one each time the expected count
passes a half, but whether one arrives before a window frees is a yes/no: with half a visitor
expected by then, nobody has come in six plays out of ten (e^-0.5), so the median wait is the
window's, not the window's plus the visitor's service."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from hotline.hall import estimate, queue
from hotline.hall.estimate import Queued, Seat, played_forward

A = 1
CYCLES = {A: 10.0}
HALL = SimpleNamespace(pk=1, opens_at=dt.time(9), closes_at=dt.time(17), service_level_minutes=20)
NOW = timezone.make_aware(dt.datetime(2023, 3, 9, 9, 0))
#: Six priority visitors an hour: the first expected after 5 minutes, then every 10.
RATES = {(A, True): {hour: 6.0 for hour in range(24)}}


@pytest.fixture(autouse=True)
def the_default_rule(monkeypatch):
    monkeypatch.setattr(estimate.snapshot, "policy", lambda hall: queue.Policy())


def test_the_point_is_the_median_over_the_visitors_who_may_come():
    # One window, busy for 5.5 more minutes (too few recent cycles to draw from), serving
    # priority visitors every 10 minutes, as long as they keep coming evenly spaced.
    seats = [Seat(1, {A: 1}, 5.5)]
    mine = [Queued(7, A, None)]
    arrivals = estimate.expected_arrivals(RATES, NOW, {A})
    evenly = played_forward(7, mine, seats, CYCLES, estimate.placed(mine, arrivals, queue.Policy()))
    # Evenly spaced, a visitor comes at 5 and every 10 minutes after: each arrives while the
    # one before is served, and the regular ticket waits for the last of them.
    assert evenly is not None and evenly > 100
    # Drawn, nobody has come by 5.5 minutes in 58 % of the plays, and where one has, the next
    # usually leaves a gap: the median is the window's time or a service or two later.
    point = estimate._point(HALL, 7, mine, seats, CYCLES, RATES, NOW)
    assert point in (5.5, 15.5, 25.5)


def test_drawn_visitors_come_at_the_hourly_rate_and_bookings_as_expected():
    booked = [(30.0, A, True)]
    draw = estimate._visitor_draws([Queued(7, A, None)], RATES, NOW, {A}, booked, queue.Policy())
    rng = random.Random(1)
    plays = [draw(rng) for _ in range(2000)]
    unannounced = [sum(1 for e in play if e.at != 30.0) for play in plays]
    # 6 an hour over the 120-minute horizon: 12 a play on average.
    assert sum(unannounced) / len(plays) == pytest.approx(12, abs=0.3)
    assert all(any(e.at == 30.0 for e in play) for play in plays)
    # Priority visitors: placed ahead of the regular ticket (interleave rule, no other ahead).
    assert all(e.priority and e.key < 0 for play in plays for e in play)
    assert all([e.at for e in play] == sorted(e.at for e in play) for play in plays)
    # No rate, no draws: only the bookings.
    none = estimate._visitor_draws([Queued(7, A, None)], {}, NOW, {A}, booked, queue.Policy())
    assert [e.at for e in none(rng)] == [30.0]


def test_the_ticket_far_back_keeps_the_evenly_spaced_play():
    seats = [Seat(1, {A: 1}, 5.5)]
    line = [Queued(i, A, None) for i in range(estimate.DRAW_WITHIN + 1)]
    arrivals = estimate.expected_arrivals(RATES, NOW, {A})
    expected = estimate.placed(line, arrivals, queue.Policy())
    evenly = played_forward(line[-1].id, line, seats, CYCLES, expected)
    point = estimate._point(HALL, line[-1].id, line, seats, CYCLES, RATES, NOW)
    assert point == evenly
