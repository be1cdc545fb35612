"""The halls' case and rating figures are counted from plain rows, and the monthly report reads a
month's halls and cases once (session 29, h5). The dashboard's running month spent most of its
0.7 s of CPU building whole case and rating rows, each joined to its hall, matter and their units
(five model objects a row, thousands of rows on the demo database), only to read a code and a
name; and the report read the month's ticket events and its cases twice, once to score the
service centres and once for its hall sheets. March 2025 at 大宁路's hall is the hand-counted
month of tests/assessment/test_hall_cases.py."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from hotline.assessment import hall, hall_cases, report
from hotline.cases.models import Case
from hotline.hall.models import Hall
from hotline.matters.models import Matter
from hotline.org.models import Unit
from hotline.ratings.models import Rating
from tests.assessment.test_hall_cases import COUNTED_AT, MARCH_2025, march  # noqa: F401

pytestmark = pytest.mark.django_db


def _objects_built(run) -> int:
    """How many cases, ratings, halls, matters and units ``run`` made model objects of."""
    built = 0

    def count(sender, **kwargs):
        nonlocal built
        built += 1

    senders = (Case, Rating, Hall, Matter, Unit)
    for sender in senders:
        post_init.connect(count, sender=sender, weak=False)
    try:
        run()
    finally:
        for sender in senders:
            post_init.disconnect(count, sender=sender)
    return built


def _reads(run, table: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries)


def test_the_case_and_rating_figures_build_no_model_objects(march):  # noqa: F811
    found = {}

    def count():
        found.update(
            hall_cases.grouped(*MARCH_2025, groupings=("hall", "matter", "unit"), now=COUNTED_AT)
        )

    assert _objects_built(count) == 0
    # The hand count still holds (tests/assessment/test_hall_cases.py).
    assert found["hall"]["dnl"].due == 3 and found["unit"]["dnl-centre"].rated == 3


def test_the_monthly_report_reads_the_months_tickets_and_cases_once(march):  # noqa: F811
    with time_machine.travel(COUNTED_AT, tick=False):
        cases_once = _reads(
            lambda: hall_cases.grouped(*MARCH_2025, groupings=("hall", "matter", "unit")),
            "cases_case",
        )
        tickets_once = _reads(
            lambda: hall.centre_months(*hall.days_of(*MARCH_2025), detail=True),
            "hall_ticketevent",
        )
        workbook = []
        cases = _reads(lambda: workbook.append(report.build("2025-03")), "cases_case")
        tickets = _reads(lambda: report.build("2025-03"), "hall_ticketevent")
    assert cases_once > 0 and tickets_once > 0
    assert (cases, tickets) == (cases_once, tickets_once)
    # The hall sheets are those of the figures read once: 大宁路's row and its cases.
    book = load_workbook(io.BytesIO(workbook[0]))
    names = book.sheetnames
    hall_rows = list(book[names[-3]].iter_rows(values_only=True))
    assert any(row and row[0] == "dnl" for row in hall_rows), hall_rows[:4]
