"""The dashboard of the first months a period may lie in (2000-01 … 2000-05) answers 200, not a
500 (attack, session 29, h7 F4): its six-month trend reached back before 2000-01-01, which the
period check refuses, and the refusal was raised from inside the page."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import at


@pytest.mark.parametrize(
    ("query", "trend"),
    [
        ("?month=2000-01", ["2000-01"]),
        ("?month=2000-03", ["2000-01", "2000-02", "2000-03"]),
        ("?from=2000-02-01&to=2000-03-15", ["2000-01", "2000-02", "2000-03"]),
        ("?month=2000-07", ["2000-02", "2000-03", "2000-04", "2000-05", "2000-06", "2000-07"]),
    ],
)
def test_leo_reads_the_dashboard_of_the_first_months(client, district, query, trend):
    client.force_login(district.leo)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        response = client.get(reverse("dashboard") + query)
    assert response.status_code == 200
    assert response.context["charts"]["trend"]["x"] == trend
