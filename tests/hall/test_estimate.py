"""The wait estimate on constructed queues whose answer is worked out by hand: the windows played
forward, heavier matters first, expected visitors placed by the queue rule and drawn at the usual
rate, the range around the point; and a small hall whose recorded services all took the same
time, so every play gives the hand-computed wait."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from hotline.hall import actions, queue
from hotline.hall.estimate import (
    Expected,
    Queued,
    Seat,
    as_range,
    for_waiting,
    placed,
    played_forward,
    remaining,
    sampled_arrivals,
    stretches,
)
from hotline.hall.models import Ticket
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


def test_visitors_are_drawn_at_the_hours_rate_and_only_for_served_matters():
    # Six an hour from 09:00, none from 10:00: over 2,000 draws the 09:30–11:30 horizon brings
    # three on average (half an hour of six an hour), all before 10:00.
    rates = {(RESIDENCE, True): {9: 6.0, 10: 0.0}, (ALLOWANCE, False): {9: 6.0}}
    pieces = stretches(rates, at("2023-03-09 09:30"), {RESIDENCE}, horizon=120)
    assert [(start, length) for start, length, _lanes, _rates in pieces] == [(0.0, 30.0)]
    rng = random.Random(7)
    draws = [sampled_arrivals(pieces, rng) for _ in range(2000)]
    assert 2.9 < sum(map(len, draws)) / 2000 < 3.1
    assert all(0 <= a < 30 and m == RESIDENCE and lane for d in draws for a, m, lane in d)


def test_a_busy_window_frees_after_a_recent_cycle_longer_than_it_has_taken():
    # Recent cycles 4, 8 and 12 minutes; 6 minutes in, this service is one of the 8 or 12 ones.
    samples = {RESIDENCE: [4.0, 8.0, 12.0]}
    seat = Seat(1, {RESIDENCE: 1}, 2.0, busy_matter=RESIDENCE, elapsed=6.0)
    rng = random.Random(3)
    assert {remaining(seat, samples, rng) for _ in range(50)} == {2.0, 6.0}
    # Longer than any: the mean's share it was given.
    late = Seat(1, {RESIDENCE: 1}, 1.2, busy_matter=RESIDENCE, elapsed=15.0)
    assert remaining(late, samples, rng) == 1.2


@pytest.mark.parametrize(
    ("point", "shown"),
    [(10.0, (3, 17)), (1.0, (0, 2)), (0.0, (0, 0)), (30.0, (13, 47))],
)
def test_the_range_is_centred_on_the_point_and_never_below_zero(point, shown):
    low, high = as_range(point)
    assert (low, high) == shown
    assert abs((low + high) / 2 - point) <= 0.5


@pytest.mark.django_db
def test_a_small_hall_with_known_service_times(town):
    """Two windows: window 1 serves 居住证 and, heavier, 老年综合津贴; window 2 only 居住证.
    Yesterday's services all took 10 minutes (居住证) and 6 (津贴), call to finish, and came
    before 10:00, so no visitor is expected today after 10:00: every play is the same.

    At 10:01 window 2 is 5 minutes into a 居住证 (5 left) and window 1 3 minutes into a 津贴
    (3 left); waiting R1 (居住证), A1 (津贴), R2 (居住证). Window 1 frees at 3 and takes its
    heavier A1 although R1 came first; window 2 frees at 5 and takes R1; window 1 frees again at
    3 + 6 = 9 and takes R2. Counted as dedicated windows (two for 居住证, R2 second in line)
    R2 would wait 5 minutes, not 9."""
    wendy, walt = town.wendy, town.walt
    actions.sign_in(town.w1, wendy, now=at("2023-03-08 09:00"))
    actions.sign_in(town.w2, walt, now=at("2023-03-08 09:00"))
    for window, clerk, matter, minutes in (
        (town.w2, walt, town.residence, 10),
        (town.w1, wendy, town.allowance, 6),
    ):
        for n in range(3):
            called = at("2023-03-08 09:00") + dt.timedelta(minutes=minutes * n)
            actions.issue(town.hall, matter, now=called)
            ticket = actions.call_next(window, clerk, now=called)
            assert ticket is not None and ticket.matter_id == matter.pk
            actions.start(ticket, clerk, now=called + dt.timedelta(minutes=1))
            actions.finish(ticket, clerk, now=called + dt.timedelta(minutes=minutes))

    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:55"))
    assert actions.call_next(town.w2, walt, now=at("2023-03-09 09:56")) is not None
    actions.issue(town.hall, town.allowance, now=at("2023-03-09 09:57"))
    assert actions.call_next(town.w1, wendy, now=at("2023-03-09 09:58")) is not None
    r1 = actions.issue(town.hall, town.residence, now=at("2023-03-09 10:00"))
    a1 = actions.issue(town.hall, town.allowance, now=at("2023-03-09 10:00"))
    r2 = actions.issue(town.hall, town.residence, now=at("2023-03-09 10:00"))

    now = at("2023-03-09 10:01")
    shown = {t: for_waiting(town.hall, t, 0, now) for t in (r1, a1, r2)}
    assert shown == {a1: as_range(3.0), r1: as_range(5.0), r2: as_range(9.0)}
    assert shown[r2] == (2, 16)
    assert Ticket.objects.get(pk=r2.pk).estimate_low is not None
