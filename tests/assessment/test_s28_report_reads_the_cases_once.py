"""The monthly report's 办件与好差评 sheet groups the month's cases and ratings by hall, by matter
and by handling unit. It read them from the database once per grouping, three times: on the demo
database that was more than half of the report's 2.3 s of CPU for the running month, every time
a leader downloaded it (walk-through, session 28, h8 F3). Now they are read once and counted into
the three groupings together, each the same as counted on its own. March 2025 at 大宁路's hall
is the hand-counted month of tests/assessment/test_hall_cases.py."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from hotline.assessment import hall_cases, report
from tests.assessment.test_hall_cases import COUNTED_AT, MARCH_2025, march  # noqa: F401

pytestmark = pytest.mark.django_db

GROUPINGS = ("hall", "matter", "unit")


def _case_reads(run) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return sum('FROM "cases_case"' in q["sql"] for q in queries.captured_queries)


def test_the_three_groupings_counted_together_are_each_as_counted_alone(march):  # noqa: F811
    together = hall_cases.grouped(*MARCH_2025, groupings=GROUPINGS, now=COUNTED_AT)
    alone = {by: hall_cases.figures(*MARCH_2025, by=by, now=COUNTED_AT) for by in GROUPINGS}
    assert together == alone
    assert together["hall"]["dnl"].due == 3 and together["unit"]["dnl-centre"].rated == 3


def test_the_reports_cases_sheet_reads_the_months_cases_once(march):  # noqa: F811
    with time_machine.travel(COUNTED_AT, tick=False):
        one_grouping = _case_reads(lambda: hall_cases.figures(*MARCH_2025, by="matter"))
        sheet = _case_reads(lambda: report._cases_sheet(Workbook(), "2025-03", *MARCH_2025))
    assert one_grouping > 0
    assert sheet == one_grouping
