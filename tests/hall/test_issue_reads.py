"""What an issue reads: the waiting queue and the busy windows come in one query of the ticket
table (its wait estimate needs both; each round trip is one more per ticket at every kiosk),
and they are the same rows as the separate reads gave."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.hall import actions, snapshot
from hotline.hall.models import Priority, Ticket, TicketState
from tests.conftest import at

pytestmark = pytest.mark.django_db


def selects(queries: CaptureQueriesContext) -> list[str]:
    """The reads (a UNION on PostgreSQL starts with a bracket)."""
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip("(").startswith("SELECT")]


def test_an_issue_reads_the_ticket_table_once(town):
    actions.sign_in(town.w1, town.wendy)
    actions.issue(town.hall, town.residence, now=at("2023-03-09 10:00"))
    actions.issue(town.hall, town.allowance, priority=Priority.ELDERLY, now=at("2023-03-09 10:01"))
    actions.call_next(town.w1, town.wendy, now=at("2023-03-09 10:02"))  # window 1 is busy

    with CaptureQueriesContext(connection) as queries:
        actions.issue(town.hall, town.residence, now=at("2023-03-09 10:03"), check_hours=False)
    reads = selects(queries)
    from_tickets = [sql for sql in reads if 'FROM "hall_ticket"' in sql]
    # The queue with the busy windows; the last hour's priority arrivals were read at 10:00's
    # issues, and 10:03 is a new minute, so they are read once more, in this issue.
    assert len(from_tickets) == 2, from_tickets
    # Then, in the same minute, only the queue and the busy windows.
    with CaptureQueriesContext(connection) as queries:
        actions.issue(town.hall, town.residence, now=at("2023-03-09 10:03:30"), check_hours=False)
    reads = selects(queries)
    assert len([sql for sql in reads if 'FROM "hall_ticket"' in sql]) == 1
    # The windows' matters, the queue and busy windows, the interleave pattern, the cycles,
    # today's bookings not checked in yet; then the number, the ticket and its event.
    # (The test's own transaction makes the issue's a savepoint: not counted.) On PostgreSQL
    # the five reads go in one request and the ticket with its event in one statement
    # (session 30; tests/hall/test_s30_issue_round_trips.py).
    statements = [
        q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"].split(" ", 2)[:2]
    ]
    assert len(statements) == (3 if connection.vendor == "postgresql" else 8), statements


def test_the_queue_and_busy_windows_are_those_of_the_separate_reads(town):
    actions.sign_in(town.w1, town.wendy)
    actions.sign_in(town.w2, town.walt)
    # Wednesday: one left waiting (not today's queue), one still being served at window 2.
    stale = actions.issue(town.hall, town.residence, now=at("2023-03-08 16:00"), check_hours=False)
    served = actions.issue(town.hall, town.residence, now=at("2023-03-08 16:01"), check_hours=False)
    Ticket.objects.filter(pk=served.pk).update(
        state=TicketState.SERVING, window=town.w2, called_at=at("2023-03-08 16:05")
    )
    first = actions.issue(town.hall, town.allowance, now=at("2023-03-09 10:00"))
    second = actions.issue(
        town.hall, town.residence, priority=Priority.ELDERLY, now=at("2023-03-09 10:01")
    )
    third = actions.issue(town.hall, town.residence, now=at("2023-03-09 10:02"))
    called = actions.call_next(town.w1, town.wendy, now=at("2023-03-09 10:03"))

    day = at("2023-03-09 10:04").date()
    waiting, busy = snapshot.queue_and_busy(town.hall, day)

    expected = snapshot.light(
        Ticket.objects.filter(hall=town.hall, day=day, state=TicketState.WAITING)
    )
    assert sorted(waiting) == sorted(expected)
    assert {t.pk for t in waiting} == {first.pk, second.pk, third.pk} - {called.pk}
    assert stale.pk not in {t.pk for t in waiting}
    assert busy == {
        town.w1.pk: (called.matter_id, at("2023-03-09 10:03")),
        town.w2.pk: (town.residence.pk, at("2023-03-08 16:05")),
    }
