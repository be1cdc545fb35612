"""李四's "my place" poll reads the windows once, and a poll that computes reads today's
bookings once (session 28).

Every waiting citizen's phone polls the page every 10 seconds. Most polls find the hall as the
poll before left it and answer with the remembered range (session 27), yet each still read the
windows' links three times (for the place, for the range's digest, for the "no window serves it
now" line) and the busy windows apart from the queue: 10 statements. It reads the links once and
the busy windows with the queue: 7. A poll that computes the range read today's bookings twice,
for the digest and again inside the estimate, a moment apart: it reads them once, and shows the
range the estimate gives on its own.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hotline.hall import actions, estimate, snapshot
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Ticket
from tests.conftest import at

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def morning(town):
    """Thursday 10:00, the clock stopped: Walt at window 2 is serving 王五, five 居住证 tickets
    wait (李四's the fourth), and 陈阿姨 has booked 居住证 at 10:30 today."""
    with time_machine.travel(at("2023-03-09 10:00"), tick=False) as clock:
        (slot,) = booking.open_slots(
            town.hall, town.residence, dt.date(2023, 3, 9),
            starts=dt.time(10, 30), ends=dt.time(11), minutes=30, capacity=5,
        )  # fmt: skip
        booking.book(slot, holder_key=holder_key(phone="13912345678"), holder_name="陈阿姨")
        actions.sign_in(town.w2, town.walt)
        first = actions.issue(town.hall, town.residence)  # 王五
        actions.call_next(town.w2, town.walt)
        actions.start(first, town.walt)
        waiting = [actions.issue(town.hall, town.residence) for _ in range(5)]
        yield clock, waiting[3]


def poll(client, ticket: Ticket) -> tuple[tuple[int, int], list[str]]:
    """The range 李四's page shows, and the statements the poll made."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/hall/place/{ticket.token}/", **HTMX, HTTP_ACCEPT_LANGUAGE="en")
    found = re.search(r"Estimated wait (\d+)–(\d+) minutes", page.content.decode())
    assert page.status_code == 200 and found
    return (int(found[1]), int(found[2])), [q["sql"] for q in queries.captured_queries]


def reads(statements: list[str], table: str) -> int:
    return sum(f'FROM "{table}"' in sql for sql in statements)


def test_a_remembered_poll_reads_the_windows_once(client, morning):
    clock, lisi = morning
    clock.move_to(at("2023-03-09 10:00:05"))
    first, _computing = poll(client, lisi)
    clock.move_to(at("2023-03-09 10:00:15"))
    again, statements = poll(client, lisi)
    assert again == first
    assert reads(statements, "hall_windowmatter") == 1
    # The ticket, the queue with the busy windows, the interleave's recent calls, the windows,
    # today's bookings and the newest event (the digest), the reprint check.
    assert len(statements) <= 7, statements


def test_a_computing_poll_reads_todays_bookings_once(client, morning):
    clock, lisi = morning
    clock.move_to(at("2023-03-09 10:00:05"))
    shown, statements = poll(client, lisi)
    assert reads(statements, "hall_appointment") == 1
    # The range the estimate gives on its own, reading the bookings itself.
    lisi.refresh_from_db()
    now = timezone.now()
    order = snapshot.waiting_order(lisi.hall, lisi.day)
    ahead = snapshot.position_of(lisi.hall, lisi, order, now=now)
    assert estimate.bookings(lisi.hall, now) != []
    assert shown == estimate.for_waiting(lisi.hall, lisi, ahead, now, order)
