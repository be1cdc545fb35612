"""A simulated day writes its tickets, events and cases in one transaction, which autovacuum
cannot see: where a table was last vacuumed empty (a test suite's rolled-back tests leave its
pages, with no row in them) PostgreSQL's planner took it as empty however many rows the day
added, and joined reads ran as nested loops over whole tables (the demo week's set-up: 873.6 s
in the full CI run against 55.7 s on SQLite). The simulator refreshes the statistics of the
tables it writes as the day goes (docs/benchmarks.md, session 26)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hotline.hall import simulate
from hotline.org.models import Role
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

DAY = dt.date(2023, 3, 9)


def planned_rows(sql: str, params: list[object]) -> int:
    """The planner's row estimate for ``sql`` (the top node of its EXPLAIN)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        top = cursor.fetchone()[0]
    found = re.search(r"rows=(\d+)", top)
    assert found, top
    return int(found.group(1))


def test_the_planner_sees_the_tickets_of_a_day_simulated_in_one_transaction(town, monkeypatch):
    make_user("clerk-3", town.hall.unit, Role.HALL_CLERK)
    monkeypatch.setattr(simulate, "STATISTICS_EVERY", 10)
    volumes = {town.residence.pk: 24.0, town.allowance.pk: 12.0}
    with transaction.atomic(), CaptureQueriesContext(connection) as sent:
        simulate.run_day(town.hall, DAY, 7, volumes)
        # Refreshed every 10 arrivals: at the last refresh 20 or more tickets had been issued,
        # each with its events (issued, most of them called).
        tickets = planned_rows("SELECT * FROM hall_ticket WHERE day = %s", [DAY])
        events = planned_rows("SELECT * FROM hall_ticketevent WHERE hall_id = %s", [town.hall.pk])
        transaction.set_rollback(True)
    assert tickets >= 20
    assert events >= 20
    refreshed = [q["sql"] for q in sent.captured_queries if q["sql"].startswith("ANALYZE")]
    # Before the day's first arrival, then every 10th: the day's tables and the cases'.
    assert len(refreshed) >= 3
    assert all('"hall_ticketevent"' in sql and '"cases_case"' in sql for sql in refreshed)
