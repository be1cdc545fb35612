"""The hall manager's case figures are not counted again on every page of the case list (review,
session 25, L8: 0.42 s of CPU at the demo's busiest hall, on each page and each search). They
stand above the list's first page only, counted once per hall and day for a few minutes."""

from __future__ import annotations

import pytest
import time_machine

from hotline.assessment import hall_cases
from hotline.cases import views
from tests.cases.test_s25_case_list_paging_search import _many
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    """How many times a month's figures were counted."""
    calls = []
    real = hall_cases.figures

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(hall_cases, "figures", counting)
    return calls


def test_paging_and_searching_do_not_count_the_figures_again(ct, counted):
    _many(ct, views.CASES_PAGE_SIZE * 2)  # three pages of open cases
    hugo = logged_in(ct.town.hugo)  # the hall's manager
    with time_machine.travel(at("2025-03-04 11:00"), tick=False):
        first = hugo.get("/cases/").content.decode()
        assert 'data-testid="case-figures"' in first
        assert len(counted) == 2  # this month and last
        second = hugo.get("/cases/", {"show": "open", "page": 2}).content.decode()
        found = hugo.get("/cases/", {"q": "三丰"}).content.decode()
        again = hugo.get("/cases/").content.decode()
    assert 'data-testid="case-pager"' in second and 'data-testid="case-figures"' not in second
    assert 'data-testid="case-figures"' not in found
    assert 'data-testid="case-figures"' in again
    assert len(counted) == 2
    # Some minutes later, or the next day, they are counted afresh.
    with time_machine.travel(at("2025-03-04 11:06"), tick=False):
        hugo.get("/cases/")
    assert len(counted) == 4
    with time_machine.travel(at("2025-03-05 09:00"), tick=False):
        hugo.get("/cases/")
        hugo.get("/cases/")
    assert len(counted) == 6
