"""The wait estimate on constructed queues whose answer is worked out by hand: the windows played
forward, heavier matters first, expected priority visitors placed by the queue rule, the range
around the point."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.hall import queue
from hotline.hall.estimate import (
    Expected,
    Queued,
    Seat,
    as_range,
    expected_arrivals,
    placed,
    played_forward,
)
from tests.conftest import at

RESIDENCE, ALLOWANCE = 1, 2  # matter ids
CYCLES = {RESIDENCE: 10.0, ALLOWANCE: 6.0}


def test_two_free_windows_take_the_first_two_and_the_third_waits_one_cycle():
    waiting = [Queued(i, RESIDENCE, None) for i in (11, 12, 13)]
    seats = [Seat(1, {RESIDENCE: 1}, 0.0), Seat(2, {RESIDENCE: 1}, 0.0)]
    assert played_forward(12, waiting, seats, CYCLES) == 0.0
    assert played_forward(13, waiting, seats, CYCLES) == 10.0


def test_a_window_calls_its_heavier_matter_first():
    # B001 (allowance) came first, but window 1 weighs residence 2: A001 goes first, B001 after
    # A001's cycle of 10 minutes.
    waiting = [Queued(21, ALLOWANCE, None), Queued(22, RESIDENCE, None)]
    seats = [Seat(1, {RESIDENCE: 2, ALLOWANCE: 1}, 0.0)]
    assert played_forward(22, waiting, seats, CYCLES) == 0.0
    assert played_forward(21, waiting, seats, CYCLES) == 10.0


def test_a_ticket_transferred_to_a_window_goes_first_there():
    waiting = [Queued(31, RESIDENCE, None), Queued(32, RESIDENCE, 1)]
    seats = [Seat(1, {RESIDENCE: 1}, 4.0)]
    assert played_forward(32, waiting, seats, CYCLES) == 4.0
    assert played_forward(31, waiting, seats, CYCLES) == 14.0


def test_an_expected_priority_visitor_goes_ahead_of_a_regular_ticket():
    # The window is busy for 5 more minutes; a priority visitor is expected in 2 minutes and will
    # be ahead: the regular ticket waits 5 + one cycle.
    waiting = [Queued(41, RESIDENCE, None)]
    seats = [Seat(1, {RESIDENCE: 1}, 5.0)]
    visitor = Expected(2.0, RESIDENCE, True, key=-0.5)
    assert played_forward(41, waiting, seats, CYCLES) == 5.0
    assert played_forward(41, waiting, seats, CYCLES, [visitor]) == 15.0
    # One expected after the window frees does not delay it.
    late = Expected(6.0, RESIDENCE, True, key=-0.5)
    assert played_forward(41, waiting, seats, CYCLES, [late]) == 5.0


def test_an_idle_window_waits_for_the_expected_visitor_it_serves():
    # Window 2 serves only allowance and nobody waits for it: idle, it takes the visitor expected
    # at minute 3 rather than dropping out; the second residence ticket waits for window 1.
    waiting = [Queued(51, RESIDENCE, None), Queued(52, RESIDENCE, None)]
    seats = [Seat(1, {RESIDENCE: 1}, 0.0), Seat(2, {ALLOWANCE: 1}, 0.0)]
    visitor = Expected(3.0, ALLOWANCE, True, key=-0.5)
    assert played_forward(52, waiting, seats, CYCLES, [visitor]) == 10.0


def test_nobody_serving_the_matter_gives_no_estimate():
    waiting = [Queued(61, ALLOWANCE, None)]
    assert played_forward(61, waiting, [Seat(1, {RESIDENCE: 1}, 0.0)], CYCLES) is None


def test_expected_priority_visitors_are_placed_by_the_rule():
    # Time-weighted, boost 15: a visitor arriving in 10 minutes counts as queued 5 minutes ago,
    # between R1 (queued 20 minutes ago) and R2 (now); one arriving in 20 minutes, after R2.
    waiting = [Queued(71, RESIDENCE, None, since=-20.0), Queued(72, RESIDENCE, None, since=0.0)]
    weighted = queue.Policy(rule=queue.TIME_WEIGHTED, boost=dt.timedelta(minutes=15))
    soon, later = placed(waiting, [(10.0, RESIDENCE, True), (20.0, RESIDENCE, True)], weighted)
    assert 0 < soon.key < 1 < later.key < 2
    # Interleave (and strict): behind the waiting priority tickets, ahead of the regular ones.
    mixed = [Queued(73, RESIDENCE, None, priority=True), Queued(74, RESIDENCE, None)]
    (visitor,) = placed(mixed, [(30.0, RESIDENCE, True)], queue.Policy())
    assert 0 < visitor.key < 1
    # A regular newcomer goes behind everyone.
    (regular,) = placed(mixed, [(1.0, RESIDENCE, False)], queue.Policy())
    assert regular.key > 1


def test_expected_visitors_are_spaced_evenly_at_the_hours_rate():
    rates = {(RESIDENCE, True): {9: 6.0, 10: 0.0}}
    found = expected_arrivals(rates, at("2023-03-09 09:00"), {RESIDENCE}, horizon=120)
    assert [round(a, 6) for a, _m, _lane in found] == [5, 15, 25, 35, 45, 55]
    # From 09:30 only the rest of the hour's rate: 3 expected, the first at the half.
    half = expected_arrivals(rates, at("2023-03-09 09:30"), {RESIDENCE}, horizon=120)
    assert [round(a, 6) for a, _m, _lane in half] == [5, 15, 25]
    assert expected_arrivals(rates, at("2023-03-09 09:00"), {ALLOWANCE}) == []


@pytest.mark.parametrize(
    ("point", "shown"),
    [(10.0, (3, 17)), (1.0, (0, 2)), (0.0, (0, 0)), (30.0, (13, 47))],
)
def test_the_range_is_centred_on_the_point_and_never_below_zero(point, shown):
    low, high = as_range(point)
    assert (low, high) == shown
    assert abs((low + high) / 2 - point) <= 0.5
