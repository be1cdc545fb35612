"""Call-next's heads query (the first N per priority class and target window, by queue time:
``ROW_NUMBER()`` in the database) reads the ticket index in that order instead of sorting every
waiting row: the index ``ticket_queue_heads`` (hall, state, day, priority, target window, queue
time, id; migration hall 0009). Checked on the plan of a hall with a 1,200-ticket queue and
earlier days behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.hall.actions import windows as window_actions
from hotline.hall.models import Priority, Source, Ticket, TicketState, WindowMatter
from tests.conftest import at

pytestmark = pytest.mark.django_db

TODAY = dt.date(2023, 3, 9)


def fill(town, *, waiting: int = 1200, earlier_days: int = 10) -> None:
    """Today's queue (every tenth elderly) and as many done tickets on each earlier day."""
    tickets = []
    for back in range(earlier_days + 1):
        day = TODAY - dt.timedelta(days=back)
        start = at(f"{day.isoformat()} 09:00")
        for n in range(waiting):
            when = start + dt.timedelta(seconds=10 * n)
            tickets.append(
                Ticket(
                    hall=town.hall,
                    day=day,
                    number=f"A{n:04d}",
                    matter=town.residence if n % 2 else town.allowance,
                    priority=Priority.ELDERLY if n % 10 == 0 else Priority.REGULAR,
                    source=Source.KIOSK,
                    state=TicketState.WAITING if back == 0 else TicketState.DONE,
                    token=f"{back}-{n}",
                    issued_at=when,
                    queued_at=when,
                )
            )
    Ticket.objects.bulk_create(tickets, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE hall_ticket")


def heads_sql(town) -> str:
    """The heads query of window 1 as call-next sends it."""
    weights = dict(WindowMatter.objects.filter(window=town.w1).values_list("matter_id", "weight"))
    visible = window_actions._visible(town.w1, TODAY, weights)
    with CaptureQueriesContext(connection) as queries:
        heads = window_actions._heads(visible, 64)
    assert len(heads) == 128  # 64 elderly and 64 regular: the first of each class
    (query,) = queries.captured_queries
    return query["sql"]


@pytest.mark.postgres_only
def test_on_postgresql_the_heads_are_read_in_index_order_without_a_sort(town):
    fill(town)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + heads_sql(town))
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "ticket_queue_heads" in plan, plan
    assert "Sort" not in plan, plan


def test_on_sqlite_the_heads_come_from_the_index_in_order_too(town):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan")
    fill(town, earlier_days=2)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + heads_sql(town))
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "ticket_queue_heads" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # SQLite's sort
