"""Both caps are counted in one query, under the numbering counter's lock (every round trip
there is one the next kiosk of that queue waits for)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.hall import actions

pytestmark = pytest.mark.django_db


def statements_of_an_issue(town) -> int:
    with CaptureQueriesContext(connection) as queries:
        actions.issue(town.hall, town.residence)
    return len(queries.captured_queries)


def test_both_caps_cost_one_query_more_than_none(town):
    actions.issue(town.hall, town.residence)  # the day's counter row exists for both runs
    uncapped = statements_of_an_issue(town)
    town.hall.daily_cap, town.hall.hourly_cap = 50, 20
    town.hall.save(update_fields=["daily_cap", "hourly_cap"])
    assert statements_of_an_issue(town) == uncapped + 1
