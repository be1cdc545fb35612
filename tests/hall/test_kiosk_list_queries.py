"""Hugo's page (and Mia's, the hall's other manager) lists the hall's kiosks with who enrolled
each. The list read the latest enrolment event once per enrolled kiosk (N+1): a hall with a row
of kiosks paid a query each on every page load. The kiosks and the people who enrolled them are
read in a bounded number of queries, however many kiosks there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from hotline.hall.actions import selfservice
from hotline.hall.models import Kiosk
from hotline.hall.views import kiosks
from hotline.org.models import Role, User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def mia(town) -> User:
    """The hall's second manager, who enrolled every other kiosk."""
    return make_user("mia-dnl", town.hall.unit, Role.HALL_MANAGER)


def _kiosks(town, mia: User, codes: range) -> None:
    for n in codes:
        machine = Kiosk.objects.create(
            hall=town.hall, code=f"dnl-zz{n}", name=f"自助终端{n}号", place="东门"
        )
        selfservice.enrol(machine, actor=town.hugo if n % 2 else mia)


def _read(town) -> tuple[int, list[kiosks.KioskRow]]:
    request = RequestFactory().get("/hall/dnl/manage/")
    with CaptureQueriesContext(connection) as queries:
        rows = kiosks.rows(request, town.hall)
    return len(queries), rows


def test_the_kiosk_list_reads_a_bounded_number_of_queries(town, mia):
    _kiosks(town, mia, range(1, 3))
    few, rows = _read(town)
    assert [r.enrolled_by for r in rows] == [town.hugo, mia]
    _kiosks(town, mia, range(3, 9))
    many, rows = _read(town)
    assert len(rows) == 8 and few == many <= 2
    assert [r.enrolled_by for r in rows] == [town.hugo, mia] * 4
    selfservice.revoke(rows[0].kiosk, actor=town.hugo)
    _count, rows = _read(town)
    assert rows[0].enrolled_by is None and rows[1].enrolled_by == mia
