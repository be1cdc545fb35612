"""The monthly report's 上级单位 column names the unit above, as the dashboard does, and its
overdue sheet names the sub-unit each mark counts for.

Walk-through, session 26 (left to session 27): Nina's 三和花园居委会 stood below Una's street
with 上级单位 'jnl', the street's code, which nobody at the street or the centre reads.
"""

from __future__ import annotations

import io

import time_machine
from openpyxl import load_workbook

from hotline.assessment import report
from hotline.orders import actions
from hotline.orders.models import ContactWay, ReplyResult, State
from hotline.sla import worker
from tests.assessment.test_s27_old_overdue_marks_count_for_the_sub_unit import (
    _marked_as_before_3e258af,
)
from tests.conftest import at
from tests.orders.factory import new_order, order_in


def test_the_neighbourhoods_row_names_its_street(district):
    d = district
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        order = new_order(d)
        actions.dispatch(order, d.dan, lead_unit=d.street)
        actions.assign_inside(order, d.una, unit=d.neighbourhood)
        actions.accept(order, d.nina)
        actions.first_contact(order, d.nina, way=ContactWay.PHONE)
        actions.reply(order, d.nina, result=ReplyResult.RESOLVED, text="已处理。")
    sheet = load_workbook(io.BytesIO(report.build("2023-03")))["考核指标"]
    header = [c.value for c in sheet[2]]
    by_code = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True) if r and r[0]}
    parent = header.index("上级单位")

    assert by_code["jnl-01"][parent] == "江宁路街道"
    assert by_code["jnl"][parent] is None  # a first-level unit has none


def test_the_overdue_sheet_names_the_neighbourhood_each_mark_counts_for(district):
    # Nina's 居委会 reads 超期 2 in the KPI sheet: the overdue sheet says which two orders, the
    # one marked before 3e258af (no sub-unit in the mark) as well as the one marked since.
    d = district
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        old = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
        new = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
        plain = order_in(State.ACCEPTED, d)
    _marked_as_before_3e258af(old, at("2023-03-13 10:01"))
    worker.run_once(at("2023-03-13 10:02"))
    sheet = load_workbook(io.BytesIO(report.build("2023-03")))["超期"]
    header = [c.value for c in sheet[2]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True) if r and r[0]}
    unit, sub_unit = header.index("单位"), header.index("承办子单位")

    assert {n: (rows[n][unit], rows[n][sub_unit]) for n in rows} == {
        old.number: ("江宁路街道", "三和花园居委会"),
        new.number: ("江宁路街道", "三和花园居委会"),
        plain.number: ("江宁路街道", None),
    }
