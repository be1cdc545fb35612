"""Open data's live queue when the hall is closed. Before, on a Saturday (or before opening, or
after closing) it read like an open hall: no one waiting and an estimated wait of 0–9 minutes for
each matter, so an app showing it sent people to a closed door. It now says whether the hall is
open and when it opens next, and gives no estimate while no ticket can be taken."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import at

pytestmark = pytest.mark.django_db


def _live(client, when: str) -> dict:
    with time_machine.travel(at(when), tick=False):
        return client.get("/api/v1/open/halls/dnl/queue").json()


def test_a_closed_hall_says_so_and_when_it_opens(client, town):
    saturday = _live(client, "2023-03-11 10:00")
    assert saturday["open_now"] is False
    opens = dt.datetime.fromisoformat(saturday["next_opening"])
    assert opens == at("2023-03-13 09:00")  # Monday, the windows' opening
    assert saturday["queues"]
    assert all(
        (q["estimated_wait_min"], q["estimated_wait_max"]) == (None, None)
        for q in saturday["queues"]
    )
    evening = _live(client, "2023-03-09 18:30")
    assert evening["open_now"] is False
    assert dt.datetime.fromisoformat(evening["next_opening"]) == at("2023-03-10 09:00")


def test_an_open_hall_gives_its_estimates(client, town):
    thursday = _live(client, "2023-03-09 10:00")
    assert (thursday["open_now"], thursday["next_opening"]) == (True, None)
    assert all(q["estimated_wait_min"] is not None for q in thursday["queues"])
