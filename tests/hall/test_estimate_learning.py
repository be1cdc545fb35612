"""The wait estimate learns from its own recorded error: per matter, the factor that best maps the
points a hall showed on its previous days onto the waits that followed, shrunk toward 1 with
few tickets; never from today's tickets nor another hall's; read once per hall and day.

The history is driven through the real actions; only the ranges shown are set by hand, so the
factors can be worked out on paper."""

from __future__ import annotations

import pytest

from hotline.hall import actions, estimate
from hotline.hall.estimate import LEARN_SHRINK, corrections, learned_factors
from hotline.hall.models import Ticket
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db


def shown(ticket: Ticket, low: int, high: int) -> None:
    """The range the ticket was shown at issue (the recorded estimate the error is measured on)."""
    Ticket.objects.filter(pk=ticket.pk).update(estimate_low=low, estimate_high=high)


def served(town, ticket: Ticket, called: str, finished: str) -> None:
    """Walt calls ``ticket`` at his window 2 (居住证 only) and serves it."""
    called_ticket = actions.call_next(town.w2, town.walt, now=at(called))
    assert called_ticket is not None and called_ticket.pk == ticket.pk
    actions.start(called_ticket, town.walt, now=at(called))
    actions.finish(called_ticket, town.walt, now=at(finished))


def wednesday(town) -> None:
    """Wednesday 2023-03-08 at window 2, three 居住证 tickets, (middle shown, actual wait):
    (0, 3), (8, 10) and (12, 13)."""
    actions.sign_in(town.w2, town.walt, now=at("2023-03-08 09:55"))
    first = actions.issue(town.hall, town.residence, now=at("2023-03-08 10:00"))
    second = actions.issue(town.hall, town.residence, now=at("2023-03-08 10:01"))
    third = actions.issue(town.hall, town.residence, now=at("2023-03-08 10:02"))
    shown(first, 0, 0)
    shown(second, 4, 12)
    shown(third, 8, 16)
    served(town, first, "2023-03-08 10:03", "2023-03-08 10:10")
    served(town, second, "2023-03-08 10:11", "2023-03-08 10:14")
    served(town, third, "2023-03-08 10:15", "2023-03-08 10:20")


#: Wednesday's factor for 居住证: wait / point is 10/8 = 1.25 (weight 8) and 13/12 (weight 12);
#: the point-weighted median is 13/12 (12 of the 20 weight); the zero-point ticket weighs nothing
#: but counts: three tickets, so 3 / (3 + 100) of the way from 1.
THURSDAY = 1 + 3 / (3 + LEARN_SHRINK) * (13 / 12 - 1)


def test_a_matters_factor_comes_from_the_previous_days_recorded_errors(town):
    wednesday(town)
    assert corrections(town.hall, at("2023-03-09 09:30")) == {
        town.residence.pk: pytest.approx(THURSDAY)
    }


def test_todays_tickets_are_never_used_and_the_day_is_read_once(town, django_assert_num_queries):
    wednesday(town)
    assert corrections(town.hall, at("2023-03-09 09:30"))[town.residence.pk] == pytest.approx(
        THURSDAY
    )
    # Thursday: a 居住证 ticket shown 20–40 minutes waits 45.
    thursday = actions.issue(town.hall, town.residence, now=at("2023-03-09 10:00"))
    shown(thursday, 20, 40)
    served(town, thursday, "2023-03-09 10:45", "2023-03-09 10:50")
    # Not history yet: the rest of the day keeps the morning's factor, and asks no query.
    with django_assert_num_queries(0):
        assert corrections(town.hall, at("2023-03-09 16:00")) == {
            town.residence.pk: pytest.approx(THURSDAY)
        }

    # Friday reads again, Thursday included. Thursday's middle (30) was the point × THURSDAY,
    # so its point was 30 / THURSDAY ≈ 29.93 and wait / point = 1.5 × THURSDAY ≈ 1.504. By
    # ratio: 13/12 (weight 12), 1.25 (8), 1.504 (29.93): half the weight (24.96) is passed at
    # the last, over four tickets.
    friday = 1 + 4 / (4 + LEARN_SHRINK) * (1.5 * THURSDAY - 1)
    assert corrections(town.hall, at("2023-03-10 09:30")) == {
        town.residence.pk: pytest.approx(friday)
    }


def test_another_halls_history_is_never_used(town, district):
    wednesday(town)
    # 静安's hall serves the same 居住证 matter; its visitors waited three times the point shown.
    other = make_hall(district, code="jazw")
    actions.sign_in(other.w2, other.walt, now=at("2023-03-08 09:55"))
    for minute in range(3):
        ticket = actions.issue(other.hall, other.residence, now=at(f"2023-03-08 10:0{minute}"))
        shown(ticket, 5, 15)
        called = f"2023-03-08 10:{30 + minute * 5}"
        served(other, ticket, called, f"2023-03-08 10:{34 + minute * 5}")
    assert corrections(town.hall, at("2023-03-09 09:30")) == {
        town.residence.pk: pytest.approx(THURSDAY)
    }
    # …and the other hall's own factor comes from its own three tickets only: point 10, waits
    # 30, 34 and 38 minutes: the weighted median of 3.0, 3.4 and 3.8 is 3.4, capped at 2.
    assert corrections(other.hall, at("2023-03-09 09:30")) == {
        other.residence.pk: pytest.approx(1 + 3 / (3 + LEARN_SHRINK) * (2.0 - 1))
    }


def test_few_tickets_move_the_point_little_and_bounds_hold():
    # One ticket shown 10 that waited 15: a ratio of 1.5, counted 1 / 101.
    assert learned_factors({7: [(10.0, 15.0)]}) == {7: pytest.approx(1 + 0.5 / 101)}
    # A hundred such tickets: half the way.
    assert learned_factors({7: [(10.0, 15.0)] * 100}) == {7: pytest.approx(1.25)}
    # Waits five times the point are held at twice; a fifth at a half.
    assert learned_factors({7: [(2.0, 10.0)] * 100, 8: [(10.0, 2.0)] * 100}) == {
        7: pytest.approx(1.5),
        8: pytest.approx(0.75),
    }
    # Only tickets shown zero: nothing to scale, no factor.
    assert learned_factors({7: [(0.0, 3.0)]}) == {}


def test_the_factor_scales_the_point_the_board_and_the_ticket_show(town, monkeypatch):
    # The shipped estimate's factor (with the full play on, session 25, Thursday — a day with
    # history — gets the full play's point, uncorrected: estimate.FULL_CORRECT).
    monkeypatch.setattr(estimate, "FULL_PLAY", False)
    # Without shrinkage, Wednesday's factor is the plain 13/12.
    monkeypatch.setattr(estimate, "LEARN_SHRINK", 0)
    # The busy window's remaining time taken at its mean, not drawn from its three recent cycles
    # (the draws have their own tests, test_estimate_drawn_remaining.py): this test is about the
    # factor.
    monkeypatch.setattr(estimate, "MIN_REMAINING", 99)
    wednesday(town)
    # Thursday 10:00: Walt calls a 居住证 visitor, so his window (the only one open) is busy for
    # its usual cycle, Wednesday's mean of call → finish: (7 + 3 + 5) / 3 = 5 minutes. A newcomer
    # waits for it: 5 minutes, not stretched (no open window weighs another matter heavier, so no
    # newcomer can go ahead of it: estimate.regular_stretch).
    first = actions.issue(town.hall, town.residence, now=at("2023-03-09 09:59"))
    assert actions.call_next(town.w2, town.walt, now=at("2023-03-09 10:00")).pk == first.pk
    now = at("2023-03-09 10:00")
    point = 5 * 13 / 12  # 5.42: the range 0–11 (5.5 in the middle)
    assert estimate.for_newcomers(town.hall, [town.residence], now) == {
        town.residence.pk: estimate.as_range(point)
    }
    assert estimate.as_range(point) == (0, 11)
    # The same newcomer issued now is shown the same range (as played uncorrected: 0–10).
    ticket = actions.issue(town.hall, town.residence, now=now)
    assert (ticket.estimate_low, ticket.estimate_high) == (0, 11)
