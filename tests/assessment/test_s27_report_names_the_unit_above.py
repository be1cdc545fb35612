"""The monthly report's 上级单位 column names the unit above, as the dashboard does.

Walk-through, session 26 (left to session 27): Nina's 三和花园居委会 stood below Una's street
with 上级单位 'jnl', the street's code, which nobody at the street or the centre reads.
"""

from __future__ import annotations

import io

import time_machine
from openpyxl import load_workbook

from hotline.assessment import report
from hotline.orders import actions
from hotline.orders.models import ContactWay, ReplyResult
from tests.conftest import at
from tests.orders.factory import new_order


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
