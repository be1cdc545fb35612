"""A hall's first day, its first hour: the priority visitors so far are a rate per hour of the
minutes the hall has been open, not of an hour (session 27).

On its first day a hall has no earlier days to read the usual rate of priority visitors from,
so the estimate takes the last hour's as the rate of every hour. At 09:20, twenty minutes after
opening, the last hour's count is twenty minutes' arrivals: taken as an hour's, the two elderly
visitors who came by then read as two an hour, a third of the pace they came at, and the
regular tickets' ranges left out most of the elderly visitors who would go ahead of them."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.estimate import FIRST_HOUR_MINUTES, arrival_rates
from hotline.hall.models import Priority
from tests.conftest import at

pytestmark = pytest.mark.django_db


def elderly_visitor(town, when: str) -> None:
    actions.issue(town.hall, town.allowance, priority=Priority.ELDERLY, now=at(when))


def test_the_first_hours_visitors_count_at_the_pace_they_came(town):
    # The hall opens at 09:00; 赵老伯 and 钱阿姨 come at 09:05 and 09:15.
    elderly_visitor(town, "2023-03-09 09:05")
    elderly_visitor(town, "2023-03-09 09:15")
    at_twenty_past = arrival_rates(town.hall, at("2023-03-09 09:20"))
    assert at_twenty_past[(town.allowance.pk, True)][11] == pytest.approx(6.0)  # 2 in 20 min
    # From ten o'clock the last hour is a whole hour open: its count is the rate.
    assert arrival_rates(town.hall, at("2023-03-09 10:00"))[(town.allowance.pk, True)][11] == 2.0


def test_the_first_minutes_are_not_taken_for_a_rush(town):
    # One visitor at 09:01 is not sixty an hour at 09:02: the pace is read over at least
    # FIRST_HOUR_MINUTES.
    elderly_visitor(town, "2023-03-09 09:01")
    early = arrival_rates(town.hall, at("2023-03-09 09:02"))
    assert early[(town.allowance.pk, True)][9] == pytest.approx(60 / FIRST_HOUR_MINUTES)
