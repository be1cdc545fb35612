"""Cases and 好差评 in the assessment, against a hand-computed March 2025 at 大宁路街道's hall.

居住证 (jzz) is promised in 5 working days and declares one visit. Wendy serves:

| citizen | served          | what happened                                   | promised by      |
|---------|-----------------|-------------------------------------------------|------------------|
| Wang    | Tue 4 Mar 10:00 | all materials, accepted, concluded Thu 6 Mar     | Tue 11 Mar 10:00 |
| Li      | Tue 4 Mar 11:00 | 补正; comes again Wed 5 Mar; concluded Fri 14 Mar | ~Wed 12 Mar      |
| Zhao    | Wed 5 Mar 11:00 | accepted, never concluded                        | Wed 12 Mar 11:00 |
| Sun     | Thu 6 Mar 10:00 | not accepted (不予受理)                           | —                |
| Qian    | Thu 20 Mar 10:00| accepted, still running on 25 Mar                | Thu 27 Mar 10:00 |

Counted on Tue 25 March:
- on time: Wang, Li and Zhao fell due (Qian's promise has not passed; Sun's promised nothing):
  1 of 3 concluded by the promise (Wang) → 33.33 %;
- 一次办: finished in March Wang (1 visit), Li (2: the 补正), Sun (1) → 2 of 3, 4/3 = 1.33 trips,
  one extra trip caused by the 补正;
- 好差评: Wang 非常满意 (5), Li 不满意 (2, "had to come twice"), Sun 非常不满意 (1: appealed,
  approved, excluded), Qian 满意 (4) → 3 counted, 好评 2 → 66.67 %;
- 差评 rectified: Li's order replied by Rita on Mon 10 March, long before its deadline → 1 of 1.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from hotline.assessment import hall_cases, kpis, periods, report
from hotline.assessment.models import KpiSettings
from hotline.cases import actions
from hotline.cases.models import Case, LineState, Outcome
from hotline.hall import actions as hall
from hotline.orders import actions as orders
from hotline.org.models import Role
from hotline.ratings import actions as ratings
from hotline.ratings.models import Channel
from tests.cases.conftest import make_case_town, serve
from tests.conftest import at, make_user
from tests.web.test_order_pages import page

pytestmark = pytest.mark.django_db

MARCH_2025 = periods.between(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
COUNTED_AT = at("2025-03-25 12:00")


def _receive_all(case: Case, clerk, when, skip=()) -> None:
    entries = {
        line.pk: actions.Received(
            LineState.MISSING if line.name in skip else LineState.RECEIVED, line.form, line.copies
        )
        for line in case.submission.lines.all()
    }
    actions.receive(case.submission, clerk, entries, now=when)


def _rate(ct, ticket, level: int, when: dt.datetime, reasons=()):
    with time_machine.travel(when, tick=False):
        hall.finish(ticket, ct.town.wendy)
        return ratings.rate(ticket, None, level=level, channel=Channel.QR, reasons=list(reasons))


@pytest.fixture
def march(district):
    ct = make_case_town(district)
    wendy = ct.town.wendy
    rita = make_user("rita", ct.town.hall.unit, Role.UNIT_HANDLER)
    jzz = ct.residence

    t_wang, wang = serve(ct, jzz, at("2025-03-04 10:00"), holder_key="k-wang")
    _receive_all(wang, wendy, at("2025-03-04 10:05"))
    actions.accept(wang, wendy, now=at("2025-03-04 10:06"))
    _rate(ct, t_wang, 5, at("2025-03-04 10:10"))
    actions.conclude(wang, wendy, outcome=Outcome.APPROVED, now=at("2025-03-06 15:00"))

    _t1, li = serve(ct, jzz, at("2025-03-04 11:00"), holder_key="k-li")
    _receive_all(li, wendy, at("2025-03-04 11:05"), skip=["房屋租赁合同"])
    actions.request_correction(li.submission, wendy, now=at("2025-03-04 11:06"))
    t_li, again = serve(ct, jzz, at("2025-03-05 10:00"), holder_key="k-li")
    assert again.pk == li.pk
    _receive_all(li, wendy, at("2025-03-05 10:05"))
    li.refresh_from_db()
    actions.accept(li, wendy, now=at("2025-03-05 10:06"))
    bad = _rate(ct, t_li, 2, at("2025-03-05 10:10"), reasons=["trips"])

    _t_zhao, zhao = serve(ct, jzz, at("2025-03-05 11:00"), holder_key="k-zhao")
    _receive_all(zhao, wendy, at("2025-03-05 11:05"))
    actions.accept(zhao, wendy, now=at("2025-03-05 11:06"))

    t_sun, sun = serve(ct, jzz, at("2025-03-06 10:00"), holder_key="k-sun")
    actions.refuse(sun, wendy, reason="不属于本中心受理范围", now=at("2025-03-06 10:05"))
    mistaken = _rate(ct, t_sun, 1, at("2025-03-06 10:10"), reasons=["not_done"])

    li.refresh_from_db()
    actions.conclude(li, wendy, outcome=Outcome.APPROVED, now=at("2025-03-14 16:00"))

    with time_machine.travel(at("2025-03-10 09:00"), tick=False):
        order = bad.order
        orders.accept(order, rita)
        orders.first_contact(order, rita, way="phone")
        orders.reply(order, rita, result="resolved", text="已向市民说明并改进一次告知")
        ratings.appeal(mistaken, ct.town.hugo, reason="不属于本中心事项，已引导至区中心")
        ratings.approve_appeal(mistaken, ct.town.district.sam)

    t_qian, qian = serve(ct, jzz, at("2025-03-20 10:00"), holder_key="k-qian")
    _receive_all(qian, wendy, at("2025-03-20 10:05"))
    actions.accept(qian, wendy, now=at("2025-03-20 10:06"))
    _rate(ct, t_qian, 4, at("2025-03-20 10:10"))
    return ct


def test_each_figure_of_the_hall_against_the_hand_count(march):
    found = hall_cases.figures(*MARCH_2025, now=COUNTED_AT)["dnl"]
    assert (found.due, found.on_time) == (3, 1)
    assert (found.finished, found.one_visit, found.visits) == (3, 2, 4)
    assert found.mean_trips == 1.33 and found.extra_causes == {"correction": 1}
    assert found.levels == {5: 1, 4: 1, 3: 0, 2: 1, 1: 0}
    assert (found.rated, found.good, found.bad) == (3, 2, 1)
    assert (found.rectification_due, found.rectified_on_time) == (1, 1)
    ratios = found.ratios
    assert ratios[hall_cases.CASE_ON_TIME].value == 33.33
    assert ratios[hall_cases.ONE_VISIT].value == 66.67
    assert ratios[hall_cases.GOOD_RATING].value == 66.67
    assert ratios[hall_cases.RECTIFIED_ON_TIME].value == 100.0


def test_once_qians_promise_has_passed_unconcluded_it_counts_late(march):
    found = hall_cases.figures(*MARCH_2025, now=at("2025-03-28 09:00"))["dnl"]
    assert (found.due, found.on_time) == (4, 1)


def test_the_figures_group_by_matter_and_by_handling_unit(march):
    by_matter = hall_cases.figures(*MARCH_2025, by="matter", now=COUNTED_AT)
    assert list(by_matter) == ["jzz"] and by_matter["jzz"].name == "居住证办理"
    # 居住证 has no handling unit of its own: the hall's centre answers for it.
    by_unit = hall_cases.figures(*MARCH_2025, by="unit", now=COUNTED_AT)
    assert list(by_unit) == ["dnl-centre"] and by_unit["dnl-centre"].due == 3


def test_another_month_has_none_of_them(march):
    april = periods.between(dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert hall_cases.figures(*april, now=at("2025-05-06 09:00")) == {}


def test_the_rates_enter_the_centres_composite_with_their_weights(march):
    settings = KpiSettings.current()
    for name in settings.weights():  # the centre's rectification order aside: halls only
        setattr(settings, f"weight_{name}", 0)
    settings.weight_satisfaction = 0
    settings.save()
    with time_machine.travel(COUNTED_AT, tick=False):
        unit = kpis.compute(*MARCH_2025).unit("dnl-centre")
    assert unit.ratios[hall_cases.CASE_ON_TIME] == kpis.Ratio(1, 3)
    assert unit.ratios[hall_cases.ONE_VISIT] == kpis.Ratio(2, 3)
    assert unit.ratios[hall_cases.GOOD_RATING] == kpis.Ratio(2, 3)
    assert unit.ratios[hall_cases.RECTIFIED_ON_TIME] == kpis.Ratio(1, 1)
    # Every ticket was called at once and served (100 % within the level and completed), no
    # appointments: (40·100 + 30·100 + 20·33.33 + 10·66.67 + 20·66.67 + 10·100) / 130 = 82.05
    assert unit.base_score == 82.05


def test_a_zero_weight_leaves_a_case_rate_out(march):
    settings = KpiSettings.current()
    for name in settings.weights():
        setattr(settings, f"weight_{name}", 0)
    settings.weight_satisfaction = 0
    settings.weight_hall_case_on_time = 0
    settings.save()
    with time_machine.travel(COUNTED_AT, tick=False):
        unit = kpis.compute(*MARCH_2025).unit("dnl-centre")
    # (4000 + 3000 + 666.7 + 1333.4 + 1000) / 110
    assert unit.base_score == 90.91


def test_the_monthly_report_has_the_cases_and_ratings_sheet(march):
    with time_machine.travel(COUNTED_AT, tick=False):
        book = load_workbook(io.BytesIO(report.build("2025-03")))
    sheet = book["办件与好差评"]
    header = [c.value for c in sheet[2]]
    lines = sheet.iter_rows(min_row=3, values_only=True)
    rows = [dict(zip(header, r, strict=False)) for r in lines]
    by = {(r["维度"], r["编码"]): r for r in rows}
    assert set(by) == {("大厅", "dnl"), ("事项", "jzz"), ("承办单位", "dnl-centre")}
    row = by[("大厅", "dnl")]
    assert (row["应办结办件"], row["按时办结"], row["办件按时办结率（%）"]) == (3, 1, 33.33)
    assert (row["办结办件"], row["一次办成"], row["平均跑动次数"]) == (3, 2, 1.33)
    assert row["好评率（%）"] == 66.67 and row["非常满意"] == 1 and row["不满意"] == 1


def test_the_dashboard_shows_the_halls_cases_and_ratings(client, march):
    with time_machine.travel(COUNTED_AT, tick=False):
        response = page(client, march.town.district.leo, reverse("dashboard") + "?month=2025-03")
    assert response.status_code == 200
    (dnl,) = response.context["halls"]
    assert dnl["cases"].ratios[hall_cases.CASE_ON_TIME] == kpis.Ratio(1, 3)
    assert dnl["chart"]["ratings"]["y"] == [1, 1, 0, 1, 0]
    assert dnl["chart"]["ratings"]["bad"] == [False, False, False, True, True]
    html = response.content.decode()
    assert "33.3%" in html and "1/3" in html
    for label in ("办件按时办结率", "一次办成率", "好评率", "网上预审使用率"):
        assert f"<th>{label}</th>" in html
