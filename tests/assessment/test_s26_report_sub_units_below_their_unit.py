"""The monthly report's KPI sheet reads like the dashboard: Nina's 居委会 right below Una's
street, and no volume of its own (the centre dispatched to the street, which the volume counts).

Walk-through, session 26 (h6, M1): the sheet listed the units in their own order, where the demo
numbers each street's 居委会 1, 2, 3 … — every 居委会 and section came before the streets and
bureaus, spread by their numbers, each with 工单量 0 beside the orders it signed for.
"""

from __future__ import annotations

import io

import time_machine
from openpyxl import load_workbook

from hotline.assessment import report
from hotline.orders import actions
from hotline.orders.models import ContactWay, ReplyResult
from hotline.org.models import Unit
from tests.conftest import at
from tests.orders.factory import new_order


def test_the_neighbourhood_sits_below_its_street_without_a_volume_of_its_own(district):
    d = district
    # Numbered as the demo numbers them: the 居委会 first within its street, the bureau between.
    for unit, number in ((d.neighbourhood, 1), (d.bureau, 5), (d.street, 10)):
        Unit.objects.filter(pk=unit.pk).update(sort_order=number)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        for inside in (d.neighbourhood, None):
            order = new_order(d)
            actions.dispatch(order, d.dan, lead_unit=d.street)
            handler = d.una
            if inside is not None:
                actions.assign_inside(order, d.una, unit=inside)
                handler = d.nina
            actions.accept(order, handler)
            actions.first_contact(order, handler, way=ContactWay.PHONE)
            actions.reply(order, handler, result=ReplyResult.RESOLVED, text="已处理。")
        actions.dispatch(new_order(d), d.dan, lead_unit=d.bureau)
    sheet = load_workbook(io.BytesIO(report.build("2023-03")))["考核指标"]
    header = [c.value for c in sheet[2]]
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r and r[0]]
    codes = [r[0] for r in rows if not str(r[0]).startswith("本月无工单")]
    assert codes == ["mzj", "jnl", "jnl-01"]
    by_code = {r[0]: r for r in rows}
    volume = header.index("工单量")
    assert (by_code["jnl"][volume], by_code["jnl-01"][volume]) == (2, None)
    assert by_code["jnl-01"][header.index("签收及时率 分子")] == 1
