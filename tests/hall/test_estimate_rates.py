"""The visitors the wait estimate expects: the usual rate per hour from the hall's earlier days (the
hall's hourly profile times each matter and lane's share), read once a day (they do not change
as the day goes on), and on a hall's first day today's shares at the last hour's level, read
afresh."""

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


def test_a_matters_rate_is_its_share_of_the_halls_hourly_profile(town):
    # Tuesday: an elderly visitor for 津贴 at 10:05, three regular ones for 居住证 at 10:10, 14:00
    # and 14:30. The hall had 2 visitors at 10 and 2 at 14; 津贴's priority lane is a quarter of
    # all, 居住证's regular lane three quarters.
    elderly_visitor(town, "2023-03-07 10:05")
    for when in ("10:10", "14:00", "14:30"):
        actions.issue(town.hall, town.residence, now=at(f"2023-03-07 {when}"))
    assert arrival_rates(town.hall, at("2023-03-08 09:30")) == {
        (town.allowance.pk, True): {10: 0.5, 14: 0.5},
        (town.residence.pk, False): {10: 1.5, 14: 1.5},
    }


def test_on_a_halls_first_day_the_last_hour_stands_for_every_hour(town):
    # Half an hour after opening (09:00), one elderly visitor: two an hour.
    elderly_visitor(town, "2023-03-09 09:10")
    first_day = arrival_rates(town.hall, at("2023-03-09 09:30"))
    assert first_day[(town.allowance.pk, True)] == {hour: 2.0 for hour in range(24)}
    # At 10:15 the last hour (09:15–10:15) brought three: two regular 居住证 and one elderly
    # 津贴; today's shares (2 of 4 each) at three an hour.
    for when in ("09:20", "09:40"):
        actions.issue(town.hall, town.residence, now=at(f"2023-03-09 {when}"))
    elderly_visitor(town, "2023-03-09 10:00")
    later = arrival_rates(town.hall, at("2023-03-09 10:15"))
    assert later[(town.allowance.pk, True)][11] == 1.5
    assert later[(town.residence.pk, False)][11] == 1.5
    # Not remembered: an hour and a quarter later nobody came in the last hour.
    assert arrival_rates(town.hall, at("2023-03-09 11:30")) == {}
