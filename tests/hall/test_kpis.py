"""Hall KPIs against hand-computed fixtures: first the pure fold over events, then a morning at
the hall driven through the real actions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall import actions, kpis
from hotline.hall.kpis import Row, figures, fold
from hotline.hall.models import WindowState
from tests.conftest import at

T = at("2023-03-09 09:00")


def r(seq: int, action: str, minute: float, window: int | None = None, **payload) -> Row:
    return Row(1, seq, action, T + dt.timedelta(minutes=minute), window, 7, 3, payload)


def test_a_ticket_recalled_once_then_served():
    facts = fold(
        [
            r(0, "issue", 0, estimate=[8, 16]),
            r(1, "call", 12, 2),
            r(2, "recall", 14, 2),
            r(3, "start", 15, 2),
            r(4, "finish", 25, 2),
        ]
    )
    # Waiting to the call answered (14), walking 1, serving 10; first call at 12 was promised 8–16.
    assert (facts.waiting, facts.walking, facts.serving) == (14, 1, 10)
    assert facts.recalls == 1 and facts.outcome == "done" and facts.first_wait == 12
    assert facts.windows == {2: 11} and facts.finished_by == (2, 7)


def test_hold_and_transfer_add_up_serving_and_keep_the_first_wait():
    facts = fold(
        [
            r(0, "issue", 0),
            r(1, "call", 5, 1),
            r(2, "start", 6, 1),
            r(3, "hold", 9, 1),
            r(4, "call_back", 20, 1),
            r(5, "start", 21, 1),
            r(6, "transfer", 24, None),
            r(7, "call", 30, 3),
            r(8, "start", 31, 3),
            r(9, "finish", 35, 3),
        ]
    )
    assert (facts.waiting, facts.walking) == (5, 1)
    assert facts.serving == 3 + 3 + 4
    assert facts.windows == {1: 1 + 3 + 1 + 3, 3: 1 + 4}
    assert facts.finished_by == (3, 7)


def test_figures_of_four_tickets():
    done = fold(
        [
            r(0, "issue", 0, estimate=[0, 10]),
            r(1, "call", 4, 1),
            r(2, "start", 5, 1),
            r(3, "finish", 15, 1),
        ]
    )
    late = fold(
        [
            r(0, "issue", 0, estimate=[10, 20]),
            r(1, "call", 31, 1),
            r(2, "start", 33, 1),
            r(3, "finish", 41, 1),
        ]
    )
    missed = fold(
        [
            r(0, "issue", 0, estimate=[5, 9]),
            r(1, "call", 8, 1),
            r(2, "recall", 9, 1),
            r(3, "recall", 10, 1),
            r(4, "no_show", 15, 1),
        ]
    )
    left = fold([r(0, "issue", 0), r(1, "cancel", 20)])
    result = figures([done, late, missed, left], service_level_minutes=20)
    assert (result.issued, result.served, result.called) == (4, 2, 3)
    assert result.mean_waiting == pytest.approx((4 + 31 + 10) / 3)
    assert result.mean_walking == pytest.approx((1 + 2) / 2)
    assert result.mean_serving == pytest.approx((10 + 8) / 2)
    assert result.over_service_level == pytest.approx(1 / 3)
    assert (result.no_show_rate, result.abandon_rate, result.recalls) == (0.25, 0.25, 2)
    # Histogram of waiting in 5-minute buckets: 4 → [0,5), 10 → [10,15), 31 → [30,35).
    assert result.histogram[0] == 1 and result.histogram[2] == 1 and result.histogram[6] == 1
    # First waits 4, 31, 8 against middles 5, 15, 7: errors 1, 16, 1; inside: yes, no, yes.
    assert result.estimate_mae == pytest.approx(6)
    assert result.estimate_inside == pytest.approx(2 / 3)


@pytest.mark.django_db
def test_a_morning_through_the_real_actions(town):
    def clock(text):
        return time_machine.travel(at(f"2023-03-09 {text}"), tick=False)

    with clock("09:00"):
        actions.sign_in(town.w2, town.walt)
        a1 = actions.issue(town.hall, town.residence)
        a2 = actions.issue(town.hall, town.residence)
    with clock("09:05"):
        actions.call_next(town.w2, town.walt)
    with clock("09:06"):
        actions.start(a1, town.walt)
    with clock("09:16"):
        actions.finish(a1, town.walt)
        actions.call_next(town.w2, town.walt)
    with clock("09:18"):
        actions.recall(a2, town.walt)
    with clock("09:20"):
        actions.recall(a2, town.walt)
        actions.no_show(a2, town.walt)
    with clock("10:00"):
        actions.set_state(town.w2, town.walt, WindowState.CLOSED)
    day = dt.date(2023, 3, 9)
    hall = kpis.report(town.hall, day, day)[town.hall.code]
    assert (hall.issued, hall.served, hall.no_show_rate, hall.recalls) == (2, 1, 0.5, 2)
    assert hall.mean_waiting == pytest.approx((5 + 20) / 2)
    by_clerk = kpis.report(town.hall, day, day, by="clerk")
    assert by_clerk[town.walt.pk].served == 1
    # Open 60 minutes; busy calling and serving A001 for 11, calling A002 for 4 (until no-show
    # is not counted as busy: it never started).
    assert kpis.idle_minutes(town.hall, day, day) == {town.w2.pk: pytest.approx(60 - 11)}
