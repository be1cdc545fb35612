"""The wait estimate plays the weights' bound (739f1ee): a ticket that has waited the hall's
service level joins a window's heaviest matters, so the plays must too. Without it the shipped
estimate played strict tiers against a floor that no longer keeps them: the bench's seed read
0.27 of the mean wait (target 0.25; session 24). Worked out by hand."""

from __future__ import annotations

from hotline.hall.estimate import Expected, Queued, Seat, played_forward

HEAVY, LIGHT = 1, 2  # matter ids
CYCLES = {HEAVY: 10.0, LIGHT: 10.0}
WINDOW = [Seat(1, {HEAVY: 2, LIGHT: 1}, 0.0)]


def _line(light_overdue: float) -> list[Queued]:
    return [
        Queued(1, LIGHT, None, overdue=light_overdue),
        Queued(2, HEAVY, None),
        Queued(3, HEAVY, None),
    ]


def test_a_light_ticket_waits_behind_the_heavy_ones_until_it_has_waited_the_service_level():
    # It joins the heaviest at 15: the window takes 2 at 0 and 3 at 10, then it at 20.
    assert played_forward(1, _line(15.0), WINDOW, CYCLES, (), 20.0) == 20.0
    # It joins at 5: taken when the window is next free, at 10, before the newer heavy 3.
    assert played_forward(1, _line(5.0), WINDOW, CYCLES, (), 20.0) == 10.0
    assert played_forward(3, _line(5.0), WINDOW, CYCLES, (), 20.0) == 20.0
    # Already past it: first, in its place in the queue order.
    assert played_forward(1, _line(-1.0), WINDOW, CYCLES, (), 20.0) == 0.0


def test_without_a_bound_the_tiers_are_strict():
    assert played_forward(1, _line(float("inf")), WINDOW, CYCLES) == 20.0


def test_an_expected_light_visitor_joins_the_heaviest_the_service_level_after_coming():
    # A light visitor comes at 1 and, 20 minutes later, is among the heaviest: at 30 it goes
    # before the heavy ticket 4 that waited from the start (queue order: 2, 3, 4 … then it).
    line = [Queued(n, HEAVY, None) for n in (2, 3, 4, 5)]
    visitor = Expected(1.0, LIGHT, False, 10.0)
    # Heavy 2, 3, 4 at 0, 10, 20; at 30 the visitor (joined at 21) and heavy 5 are in one tier:
    # 5 comes first in the queue order (key 3 against the visitor's 10).
    assert played_forward(5, line, WINDOW, CYCLES, [visitor], 20.0) == 30.0
    assert played_forward(5, line, WINDOW, CYCLES, [visitor], float("inf")) == 30.0
    early = Expected(1.0, LIGHT, False, -1.0)  # placed ahead of every waiting ticket
    assert played_forward(5, line, WINDOW, CYCLES, [early], 20.0) == 40.0
    assert played_forward(5, line, WINDOW, CYCLES, [early], float("inf")) == 30.0
