"""The open data's daily figures of a finished day are counted once and kept (the API answers
them to anyone, without a token, and each count reads the day's ticket events); today's are live.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.hall import actions, opendata
from hotline.hall.models import SelfServiceUse, Ticket, TicketEvent
from tests.conftest import at

pytestmark = pytest.mark.django_db

TICKET_TABLES = (
    Ticket._meta.db_table,
    TicketEvent._meta.db_table,
    SelfServiceUse._meta.db_table,
)


def ticket_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if any(t in q["sql"] for t in TICKET_TABLES)]


def issued(client, day: str) -> int:
    response = client.get(f"/api/v1/open/halls/dnl/daily/{day}")
    assert response.status_code == 200
    return response.json()["issued"]


def test_a_finished_days_figures_are_counted_once(client, town):
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        actions.issue(town.hall, town.residence)
        actions.issue(town.hall, town.residence)
    with time_machine.travel(at("2023-03-10 10:00"), tick=False):
        first = client.get("/api/v1/open/halls/dnl/daily/2023-03-09").json()
        with CaptureQueriesContext(connection) as again:
            second = client.get("/api/v1/open/halls/dnl/daily/2023-03-09").json()
    assert first == second and first["issued"] == 2
    assert ticket_queries(again.captured_queries) == []
    later = at("2023-03-10 10:00") + dt.timedelta(seconds=opendata.PAST_DAY_SECONDS + 1)
    with time_machine.travel(later, tick=False), CaptureQueriesContext(connection) as expired:
        assert issued(client, "2023-03-09") == 2
    assert ticket_queries(expired.captured_queries)


def test_todays_figures_stay_live(client, town):
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        actions.issue(town.hall, town.residence)
        assert issued(client, "2023-03-09") == 1
        actions.issue(town.hall, town.residence)
        assert issued(client, "2023-03-09") == 2
