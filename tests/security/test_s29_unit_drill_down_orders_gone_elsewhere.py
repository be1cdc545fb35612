"""A unit's drill-down names the orders it may no longer open by their numbers alone (attack,
session 29, h7 F5).

江宁路街道's figures for March count the order it returned (its 退单率 does), which Dan then
dispatched to 区民政局. Una's drill-down listed it as a row: its title, address, its state at the
bureau and the bureau's name, though the order's own page answers her 403. She still sees that it
is counted, and its number, to appeal by; not how the bureau is getting on with it.
"""

from __future__ import annotations

import time_machine
from django.urls import reverse

from hotline.assessment import kpis
from hotline.orders import actions
from tests.conftest import at
from tests.orders.factory import new_order

MARCH = "?month=2023-03"


def test_una_sees_the_number_of_the_order_she_returned_but_not_its_row(client, district):
    d = district
    kept = new_order(d, title="楼道灯不亮")
    gone = new_order(d, title="低保申请进度", address="江宁路 188 弄 3 号 502 室")
    with time_machine.travel(at("2023-03-01 10:00"), tick=False):
        actions.dispatch(kept, d.dan, lead_unit=d.street)
        actions.dispatch(gone, d.dan, lead_unit=d.street)
        actions.request_return(gone, d.una, reason="属民政局职责")
        actions.approve_return(gone, d.dan, lead_unit=d.bureau)
    client.force_login(d.una)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        assert client.get(reverse("order_detail", args=[gone.number])).status_code in (403, 404)
        drill = client.get(
            reverse("unit_kpi_orders") + MARCH + f"&kpi={kpis.VOLUME}&unit=jnl&part=denominator"
        )
    body = drill.content.decode()
    assert drill.status_code == 200
    assert drill.context["count"] == 2  # both count in the figure
    assert f'data-number="{kept.number}"' in body
    assert f'data-number="{gone.number}"' not in body
    assert "低保申请进度" not in body
    assert "江宁路 188 弄" not in body
    assert "区民政局" not in body
    assert drill.context["elsewhere"] == [gone.number]
    assert 'data-testid="drill-elsewhere"' in body


def test_the_dashboards_drill_down_lists_every_row_for_leo(client, district):
    d = district
    gone = new_order(d, title="低保申请进度")
    with time_machine.travel(at("2023-03-01 10:00"), tick=False):
        actions.dispatch(gone, d.dan, lead_unit=d.street)
        actions.request_return(gone, d.una, reason="属民政局职责")
        actions.approve_return(gone, d.dan, lead_unit=d.bureau)
    client.force_login(d.leo)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        drill = client.get(
            reverse("kpi_orders") + MARCH + f"&kpi={kpis.VOLUME}&unit=jnl&part=denominator"
        )
    assert f'data-number="{gone.number}"' in drill.content.decode()
    assert drill.context["elsewhere"] == []
