"""The monthly report's hall sheet (服务大厅) and the dashboard's hall table count the matters
completed at each hall's self-service kiosks in the month, by Shanghai's calendar: 医保缴费凭证打印
printed three times in March at 大宁路 (one at 00:01 on 1 March), a material list looked up (not a
completion), one printed on 28 February at 23:59 and one in April (other months), and one at
江宁路's kiosk."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from hotline.assessment import dashboard, kpis, periods, report
from hotline.hall.actions.selfservice import record_use
from hotline.hall.models import Kiosk, SelfServiceKind
from hotline.matters.models import Matter
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(town):
    """The uses above; returns 大宁路's and 江宁路's halls."""
    printout = Matter.objects.create(code="yb-dy", name="医保缴费凭证打印", queue_group="C")
    ours = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    other = make_hall(town.district, "jn")
    theirs = Kiosk.objects.create(hall=other.hall, code="jn-zz1", name="自助终端", place="大堂")
    for kiosk in (ours, theirs):
        kiosk.matters.set([printout])
    for when in ("2023-03-01 00:01", "2023-03-09 20:30", "2023-03-31 23:59"):
        record_use(ours, printout, now=at(when))
    record_use(ours, town.residence, SelfServiceKind.MATERIALS, now=at("2023-03-09 20:31"))
    record_use(ours, printout, now=at("2023-02-28 23:59"))
    record_use(ours, printout, now=at("2023-04-01 00:00"))
    record_use(theirs, printout, now=at("2023-03-09 20:30"))
    return town.hall, other.hall


def test_the_hall_sheet_counts_the_months_self_service_completions(march):
    sheet = load_workbook(io.BytesIO(report.build("2023-03")))["服务大厅"]
    header = [c.value for c in sheet[2]]
    rows = {
        r[0]: dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=3, values_only=True)
        if r[0]
    }
    assert rows["dnl"]["自助服务办件量"] == 3
    assert rows["jn"]["自助服务办件量"] == 1
    assert rows["dnl"]["取号数"] == 0  # the kiosks count on their own, not as tickets


def test_the_dashboards_hall_table_counts_them_too(march):
    first, last = dt.date(2023, 3, 1), dt.date(2023, 3, 31)
    section = dashboard.hall_section(first, last, kpis.compute(*periods.between(first, last)))
    assert {h["code"]: h["self_service"] for h in section["halls"]} == {"dnl": 3, "jn": 1}
