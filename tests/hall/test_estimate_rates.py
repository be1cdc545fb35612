"""The priority visitors the wait estimate expects: the usual rate per hour from the hall's earlier
days, read once a day (they do not change as the day goes on), and on a hall's first day the
last hour's arrivals, read afresh."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.estimate import arrival_rates
from hotline.hall.models import Priority
from tests.conftest import at

pytestmark = pytest.mark.django_db


def elderly_visitor(town, when: str) -> None:
    actions.issue(town.hall, town.allowance, priority=Priority.ELDERLY, now=at(when))


def test_earlier_days_give_the_usual_rate_and_are_read_once_a_day(town, django_assert_num_queries):
    # Tuesday and Wednesday: three elderly visitors for 老年综合津贴 between 10:00 and 11:00.
    elderly_visitor(town, "2023-03-07 10:05")
    elderly_visitor(town, "2023-03-07 10:40")
    elderly_visitor(town, "2023-03-08 10:20")
    usual = {(town.allowance.pk, True): {10: 1.5}}
    assert arrival_rates(town.hall, at("2023-03-09 09:30")) == usual

    # Thursday's own visitors are not history yet, and the rest of the day asks no query.
    elderly_visitor(town, "2023-03-09 09:10")
    with django_assert_num_queries(0):
        assert arrival_rates(town.hall, at("2023-03-09 15:00")) == usual

    # Friday reads again: three days with tickets now, Thursday's 09:10 visitor among them.
    assert arrival_rates(town.hall, at("2023-03-10 09:30")) == {
        (town.allowance.pk, True): {9: 1 / 3, 10: 1.0}
    }


def test_on_a_halls_first_day_the_last_hour_stands_for_every_hour(town):
    elderly_visitor(town, "2023-03-09 09:10")
    first_day = arrival_rates(town.hall, at("2023-03-09 09:30"))
    # One in the half hour since opening at 09:00: two an hour (session 27; one before).
    assert first_day[(town.allowance.pk, True)] == {hour: 2.0 for hour in range(24)}
    # Not remembered: an hour and a half later that visitor is out of the last hour.
    assert arrival_rates(town.hall, at("2023-03-09 10:40")) == {}


def test_a_first_days_last_hour_is_read_once_a_minute(town, django_assert_num_queries):
    elderly_visitor(town, "2023-03-09 09:10")
    # One in the half hour since opening at 09:00: two an hour (session 27; one before).
    assert arrival_rates(town.hall, at("2023-03-09 09:30"))[(town.allowance.pk, True)][9] == 2.0

    # A second elderly visitor in the same minute: the kiosks of that minute share one read
    # (an estimate's inputs may be a minute old), so the rate stays two an hour, unread.
    elderly_visitor(town, "2023-03-09 09:30:20")
    with django_assert_num_queries(0):
        same_minute = arrival_rates(town.hall, at("2023-03-09 09:30:40"))
    assert same_minute[(town.allowance.pk, True)][9] == 2.0

    # The next minute reads again and counts both, in the 31 minutes open.
    next_minute = arrival_rates(town.hall, at("2023-03-09 09:31"))
    assert next_minute[(town.allowance.pk, True)][9] == pytest.approx(2 * 60 / 31)
