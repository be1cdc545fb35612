"""The leader's dashboard lists the sub-units (二级派单) in the order of their units' rows in the
KPI table above: 江宁路街道's 居委会 first, where 江宁路街道 stands, then 北站街道's.

Walk-through, session 26 (h6, L5): they were sorted by their parent's name in code-point
order (临汾路街道, 共和新路街道, 北站街道, 区市场监督管理局 …), another order than the table
above, so a leader looking for a street's 居委会 scanned the whole list.
"""

from __future__ import annotations

import time_machine
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import ContactWay, ReplyResult
from hotline.org.models import PeerGroup, Role, Unit, UnitKind
from tests.conftest import at, make_user
from tests.orders.factory import new_order


def _replied_at(d, sub: Unit, handler) -> None:
    order = new_order(d)
    actions.dispatch(order, d.dan, lead_unit=sub)  # the centre names the 居委会
    actions.accept(order, handler)
    actions.first_contact(order, handler, way=ContactWay.PHONE)
    actions.reply(order, handler, result=ReplyResult.RESOLVED, text="已处理。")


def test_the_sub_units_follow_the_order_of_their_streets(client, district):
    d = district
    # Coded after 江宁路街道 (jnl), named before it (北 < 江 in code points).
    north = Unit.objects.create(
        code="zz", name="北站街道", kind=UnitKind.STREET, peer_group=PeerGroup.STREETS
    )
    anqing = Unit.objects.create(
        code="zz-01", name="安庆居委会", kind=UnitKind.NEIGHBOURHOOD, parent=north
    )
    ann = make_user("ann", anqing, Role.UNIT_HANDLER)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        _replied_at(d, d.neighbourhood, d.nina)
        _replied_at(d, anqing, ann)
    client.force_login(d.leo)
    response = client.get(reverse("dashboard") + "?month=2023-03")
    streets = [r["unit"].code for r in response.context["rows"] if r["unit"].code in ("jnl", "zz")]
    assert streets == ["jnl", "zz"]
    assert [r["unit"].code for r in response.context["sub_rows"]] == ["jnl-01", "zz-01"]
