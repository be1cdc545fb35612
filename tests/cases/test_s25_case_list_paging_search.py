"""The hall's case list (walk-through, session 25, B-H4): it used to stop at 200 rows with no
count and no search, so most open cases could not be found. Now it pages with the total, and a
search finds a case by its number, the applicant's name or today's ticket number."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.cases.models import Case
from hotline.cases.views import CASES_PAGE_SIZE
from tests.cases.conftest import serve
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db


def _many(ct, n: int) -> tuple[Case, list[Case]]:
    """The served case plus ``n`` copies of it (other numbers, later promises)."""
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"), holder_name="张三丰")
    made = []
    for k in range(n):
        copy = Case.objects.get(pk=case.pk)
        copy.pk = None
        copy.ticket = None
        copy.number = f"T-{k:05d}"
        copy.opened_at = case.opened_at - dt.timedelta(minutes=k + 1)
        copy.due_at = case.due_at + dt.timedelta(hours=k + 1)
        made.append(copy)
    return case, Case.objects.bulk_create(made)


def test_the_list_pages_with_its_total_and_the_last_case_is_on_the_last_page(ct):
    served, _made = _many(ct, CASES_PAGE_SIZE * 4 + 1)  # 202 open cases
    wendy = logged_in(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 11:00"), tick=False):
        first = wendy.get("/cases/").content.decode()
        assert "202" in first and 'data-testid="case-pager"' in first
        assert served.number in first  # nearest promise first
        assert "T-00200" not in first
        last = wendy.get("/cases/?show=open&page=5").content.decode()
    assert "T-00200" in last and served.number not in last


def test_a_search_finds_a_case_by_number_name_or_todays_ticket(ct):
    served, _made = _many(ct, CASES_PAGE_SIZE * 4 + 1)
    ticket = served.ticket
    wendy = logged_in(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 11:00"), tick=False):
        by_number = wendy.get("/cases/", {"q": "t-00200"}).content.decode()
        by_ticket = wendy.get("/cases/", {"q": ticket.number.lower()}).content.decode()
        by_name = wendy.get("/cases/", {"q": "三丰"}).content.decode()
    assert "T-00200" in by_number and "T-00199" not in by_number
    assert served.number in by_ticket and "T-00001" not in by_ticket
    # The copies share the served case's application: its applicant's name finds all 202.
    assert served.number in by_name and "202" in by_name
    with time_machine.travel(at("2025-03-05 11:00"), tick=False):
        # Yesterday's ticket number is not today's.
        later = wendy.get("/cases/", {"q": ticket.number}).content.decode()
    assert served.number not in later
