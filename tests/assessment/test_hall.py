"""Service centres in the assessment: a hand-computed morning at 大宁路街道's hall (March 2023)
in the centre's composite with the hall weights, its own peer group, the dashboard's hall section
and the monthly report's hall sheets.

| ticket | matter | issued | called (window)     | then                        | waited |
|--------|--------|--------|---------------------|-----------------------------|--------|
| A001   | 居住证 | 09:00  | 09:05 (2, Walt)     | served 09:06–09:16          | 5      |
| A002   | 居住证 | 09:00  | 09:16 (2)           | served 09:17–09:27          | 16     |
| A003   | 居住证 | 09:00  | 09:27 (2)           | served 09:28–09:38          | 27     |
| A004   | 居住证 | 09:01  | —                   | left at 09:30 (abandoned)   | —      |
| B001   | 津贴   | 09:02  | 09:40 (1, Wendy)    | recalled twice, no-show     | 40     |

Service level 20 minutes: 2 of 4 called waited longer (within: 50 %); 2 of 5 tickets lost (a
no-show and an abandon: completed 60 %); appointments: one checked in, one no-show (kept 50 %).
The three served tickets opened three 居住证 cases, none concluded: their promise passed in March,
so 0 of 3 cases were concluded on time; nothing was finished or rated (those rates are empty).
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hotline.assessment import hall, hall_cases, kpis, report
from hotline.assessment.models import KpiSettings
from hotline.hall import actions
from tests.assessment.conftest import MARCH
from tests.assessment.hall_morning import morning
from tests.conftest import at
from tests.hall.conftest import HallTown, make_hall
from tests.web.test_order_pages import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(district) -> HallTown:
    town = make_hall(district)
    morning(town)
    return town


def test_the_centres_hall_rates_enter_its_composite_with_the_default_weights(centre):
    unit = kpis.compute(*MARCH).unit("dnl-centre")
    assert unit.ratios[hall.WITHIN_LEVEL] == kpis.Ratio(2, 4)
    assert unit.ratios[hall.COMPLETED] == kpis.Ratio(3, 5)
    assert unit.ratios[hall.APPOINTMENTS_KEPT] == kpis.Ratio(1, 2)
    assert unit.ratios[hall_cases.CASE_ON_TIME] == kpis.Ratio(0, 3)
    assert unit.ratios[hall_cases.ONE_VISIT].value is None
    # No orders: only the hall rates count. (40·50 + 30·60 + 10·50 + 20·0) / (40 + 30 + 10 + 20)
    assert unit.base_score == 43.0 and unit.score == 43.0
    assert unit.peer_group == hall.SERVICE_CENTRES
    assert unit.rank is None  # 5 tickets, below the minimum volume of 10


def test_the_weights_are_configurable_and_a_zero_weight_leaves_a_rate_out(centre):
    settings = KpiSettings.current()
    settings.weight_hall_service_level = 10
    settings.weight_hall_appointments_kept = 0
    settings.save()
    unit = kpis.compute(*MARCH).unit("dnl-centre")
    assert unit.base_score == round((10 * 50 + 30 * 60 + 20 * 0) / (10 + 30 + 20), 2)  # 38.33


def test_centres_are_ranked_among_themselves_whatever_their_units_peer_group(centre, district):
    other = make_hall(district, "jazw")
    a1 = actions.issue(other.hall, other.residence, now=at("2023-03-10 09:00"))
    actions.sign_in(other.w2, other.walt, now=at("2023-03-10 09:00"))
    assert actions.call_next(other.w2, other.walt, now=at("2023-03-10 09:03")) == a1
    actions.start(a1, other.walt, now=at("2023-03-10 09:04"))
    actions.finish(a1, other.walt, now=at("2023-03-10 09:10"))
    # An administrator had put the centre among the streets: it is still not ranked there.
    centre.hall.unit.peer_group = "streets"
    centre.hall.unit.save()
    settings = KpiSettings.current()
    settings.minimum_volume = 1
    settings.save()
    result = kpis.compute(*MARCH)
    ours, theirs = result.unit("dnl-centre"), result.unit("jazw-centre")
    # Their one ticket waited 3 minutes and was served; its case was never concluded.
    assert theirs.score == round((40 * 100 + 30 * 100 + 20 * 0) / 90, 2) and theirs.rank == 1
    assert ours.peer_group == hall.SERVICE_CENTRES and ours.rank == 2
    streets = [u for u in result.units if u.peer_group == "streets"]
    assert "dnl-centre" not in {u.code for u in streets}


def test_the_hall_rates_do_not_roll_up_into_the_street(centre, district):
    street = kpis.compute(*MARCH).unit(district.street.code)
    assert hall.WITHIN_LEVEL not in street.ratios


def test_the_monthly_report_has_the_halls_figures_and_throughput(centre):
    book = load_workbook(io.BytesIO(report.build("2023-03")))
    assert {"服务大厅", "窗口与人员办结量"} <= set(book.sheetnames)
    sheet = book["服务大厅"]
    header = [c.value for c in sheet[2]]
    row = dict(
        zip(header, next(r for r in sheet.iter_rows(min_row=3, values_only=True)), strict=True)
    )
    assert (row["代码"], row["取号数"], row["已叫号"], row["已办结"]) == ("dnl", 5, 4, 3)
    assert row["平均等候（分钟）"] == (5 + 16 + 27 + 40) / 4
    assert row["超出服务时限（%）"] == 50.0
    assert (row["过号率（%）"], row["弃号率（%）"], row["重呼次数"]) == (20.0, 20.0, 2)
    assert (row["等候未超服务时限"], row["取号办结"], row["预约守约"]) == (50.0, 60.0, 50.0)
    # The 5-minute distribution: 5 → 5–10, 16 → 15–20, 27 → 25–30, 40 → 40–45.
    assert [row[f"等候{i * 5}–{i * 5 + 5}分钟"] for i in range(9)] == [0, 1, 0, 1, 0, 1, 0, 0, 1]
    assert row["得分"] == 43.0 and row["排名"] is None
    assert row["预计等候误差（分钟）"] is not None and row["落在显示范围内（%）"] is not None
    throughput = {
        r[1]: r[2] for r in book["窗口与人员办结量"].iter_rows(min_row=3, values_only=True) if r[1]
    }
    assert throughput["2 号窗口"] == 3
    assert throughput[centre.walt.get_full_name() or centre.walt.username] == 3


def test_the_dashboard_shows_the_hall_section(client, centre, district):
    response = page(client, district.leo, reverse("dashboard") + "?month=2023-03")
    assert response.status_code == 200
    halls = response.context["halls"]
    assert [h["code"] for h in halls] == ["dnl"]
    assert halls[0]["percent"]["over"] == 50.0 and halls[0]["unit"].score == 43.0
    charts = response.context["hall_charts"]
    assert charts["halls"][0]["histogram"][:9] == [0, 1, 0, 1, 0, 1, 0, 0, 1]
    assert charts["halls"][0]["windows"] == {"x": ["2 号窗口"], "y": [3]}
    assert charts["over"]["y"] == [50.0]
    # The centre is not a row of the hotline KPI table: it has no orders to be judged on.
    assert not any(r["unit"].code == "dnl-centre" for r in response.context["rows"])
    assert 'data-testid="hall-table"' in response.content.decode()


def test_the_definitions_page_lists_the_hall_weights(client, district):
    settings = KpiSettings.current()
    settings.weight_hall_completion = 25
    settings.save()
    response = page(client, district.una, reverse("kpi_definitions"))
    weights = {str(label): weight for label, weight in response.context["hall_weights"]}
    assert weights == {
        "等候未超服务时限": 40,
        "取号办结": 25,
        "预约守约": 10,
        "办件按时办结率": 20,
        "一次办成率": 10,
        "好评率": 20,
        "差评按时整改": 10,
    }
    assert "只在取号不少于 10 张的服务中心之间排名" in response.content.decode()
