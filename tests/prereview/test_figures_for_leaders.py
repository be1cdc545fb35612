"""The pre-review invitation figures (links texted from 12345, pre-reviews filed from such a link)
reach the leaders too: the dashboard's cases-and-ratings row of each hall and the monthly
report's cases sheet, beside the pre-review use already there (they were shown only on the hall's
pre-review page). Olga texts two links on 2026-02-20 (陈丽 files from hers on 2026-03-02, in
the next month) and one on 2026-03-09; 李四 files a plain pre-review on 2026-03-09. Leo reads
March at 2026-04-01 09:00."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from hotline.assessment import hall_cases, periods, report
from hotline.prereview import actions
from tests.conftest import at
from tests.prereview.conftest import CHEN_PHONE, pdf
from tests.web.test_order_pages import page

pytestmark = pytest.mark.django_db

SITE = "https://12345.example.cn/"


@pytest.fixture
def texted(pt):
    olga = pt.ct.town.district.olga

    def invite(phone: str, when: str):
        return actions.invite(olga, phone, pt.hall, pt.residence, site=SITE, now=at(when))

    chen = invite(CHEN_PHONE, "2026-02-20 10:00")
    invite("13700001111", "2026-02-20 11:00")
    with time_machine.travel(at("2026-03-02 09:00"), tick=False):
        actions.submit(
            pt.hall, pt.residence, name="陈丽", phone=CHEN_PHONE,
            uploads={pt.id_card.pk: pdf()}, invitation=chen,
        )  # fmt: skip
    invite("13600002222", "2026-03-09 10:00")
    with time_machine.travel(at("2026-03-09 11:00"), tick=False):
        actions.submit(
            pt.hall, pt.residence, name="李四", phone="13500003333",
            uploads={pt.id_card.pk: pdf()},
        )  # fmt: skip
    return pt


def _month(first: str, last: str) -> tuple[dt.datetime, dt.datetime]:
    return periods.between(dt.date.fromisoformat(first), dt.date.fromisoformat(last))


def test_the_figures_count_links_by_when_sent_and_filings_by_when_filed(texted):
    with time_machine.travel(at("2026-04-01 09:00"), tick=False):
        february = hall_cases.figures(*_month("2026-02-01", "2026-02-28"))
        march = hall_cases.figures(*_month("2026-03-01", "2026-03-31"))
        by_matter = hall_cases.figures(*_month("2026-03-01", "2026-03-31"), by="matter")
    code = texted.hall.code
    assert (february[code].invited, february[code].from_hotline) == (2, 0)
    # 陈丽's link was texted in February; she filed from it in March.
    assert (march[code].invited, march[code].from_hotline) == (1, 1)
    matter = by_matter[texted.residence.code]
    assert (matter.invited, matter.from_hotline) == (1, 1)


def test_leo_sees_them_on_the_dashboard_row_of_the_hall(client, texted):
    leo = texted.ct.town.district.leo
    with time_machine.travel(at("2026-04-01 09:00"), tick=False):
        response = page(client, leo, reverse("dashboard") + "?month=2026-03")
    html = response.content.decode()
    table = html.split('data-testid="hall-cases-table"', 1)[1]
    row = table.split(f'<tr data-hall="{texted.hall.code}">', 1)[1].split("</tr>", 1)[0]
    assert '<td data-figure="prereview-invited">1</td>' in row
    assert '<td data-figure="prereview-from-hotline">1</td>' in row
    assert "<th>12345发送的预审链接</th>" in html and "<th>经12345链接提交的预审</th>" in html


def test_the_monthly_report_has_them_beside_the_pre_review_use(texted):
    with time_machine.travel(at("2026-04-01 09:00"), tick=False):
        book = load_workbook(io.BytesIO(report.build("2026-02")))
    sheet = book["办件与好差评"]
    header = [c.value for c in sheet[2]]
    rows = [
        dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=3, values_only=True)
    ]
    by = {(r["维度"], r["编码"]): r for r in rows}
    hall_row = by[("大厅", texted.hall.code)]
    assert (hall_row["12345发送的预审链接"], hall_row["经12345链接提交的预审"]) == (2, 0)
    assert header.index("12345发送的预审链接") == header.index("网上预审使用率（%）") + 1
