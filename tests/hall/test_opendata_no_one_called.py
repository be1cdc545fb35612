"""Open data's daily statistics on a morning when people wait and nobody has been called yet.
A wait counts at its call, so before, the day read "mean_waiting_min": 0.0 (and a mean service of
0.0 with nobody served): a newspaper's chart showed a hall with no wait at all while two people
had waited half an hour. The figures are null until there is something to average, and "called"
says how many waits the mean is of."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions
from tests.conftest import at

pytestmark = pytest.mark.django_db


def test_a_day_with_nobody_called_has_no_mean_wait(client, town):
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:05"))
    with time_machine.travel(at("2023-03-09 09:35"), tick=False):
        day = client.get("/api/v1/open/halls/dnl/daily/2023-03-09").json()
    assert (day["issued"], day["served"], day["called"]) == (2, 0, 0)
    assert day["mean_waiting_min"] is None and day["mean_serving_min"] is None


def test_the_mean_is_of_the_tickets_called(client, town):
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:05"))
    actions.call_next(town.w2, town.walt, now=at("2023-03-09 09:30"))
    with time_machine.travel(at("2023-03-09 09:35"), tick=False):
        day = client.get("/api/v1/open/halls/dnl/daily/2023-03-09").json()
    assert (day["called"], day["mean_waiting_min"], day["mean_serving_min"]) == (1, 30.0, None)


def test_a_share_or_rate_with_nothing_to_count_is_null(client, town):
    """Before, the same morning read "over_service_level": 0.0 (no one waited over the service
    level) while both had waited 30 minutes against a level of 20, and a day with no ticket read
    0.0 no-shows and abandons: a share of nothing is no share."""
    # The hall's first ticket, two days before: the 8th is a day of the hall's with none (a day
    # before its first ticket is not found at all: tests/portal/test_s23_public_caches.py).
    actions.issue(town.hall, town.residence, now=at("2023-03-07 09:00"))
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:05"))
    with time_machine.travel(at("2023-03-09 09:35"), tick=False):
        day = client.get("/api/v1/open/halls/dnl/daily/2023-03-09").json()
        empty = client.get("/api/v1/open/halls/dnl/daily/2023-03-08").json()
    assert day["over_service_level"] is None
    assert (day["no_show_rate"], day["abandon_rate"]) == (0.0, 0.0)  # two issued, none lost
    assert (empty["issued"], empty["over_service_level"]) == (0, None)
    assert (empty["no_show_rate"], empty["abandon_rate"]) == (None, None)

    actions.call_next(town.w2, town.walt, now=at("2023-03-09 09:30"))
    with time_machine.travel(at("2023-03-09 09:35"), tick=False):
        day = client.get("/api/v1/open/halls/dnl/daily/2023-03-09").json()
    assert day["over_service_level"] == 1.0  # the one called waited 30 minutes
