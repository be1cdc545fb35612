"""A unit's own assessment (本单位考核) shows a unit handler the figures and orders of the units
she works, and no other's (attack, session 29, h7).

The page read the units below the handler's unit with ``Unit.subtree_ids`` — the whole tree
under it — while what a unit handler sees and works is ``rules.unit_scope`` (its branch inside
its own first-level unit). For a handler placed at a unit above the first level (the district
government, 区政府), the subtree is every street and bureau of the district: Gus at 静安区人民政府
read 曹家渡街道's figures on his page and opened the orders behind them, none of which he may
open.
"""

from __future__ import annotations

import time_machine
from django.urls import reverse

from hotline.assessment import kpis
from hotline.orders import actions
from hotline.org.models import PeerGroup, Role, Unit, UnitKind
from tests.conftest import at, make_user
from tests.orders.factory import new_order

MARCH = "?month=2023-03"


def _district_government_with_two_streets(d):
    government = Unit.objects.create(
        code="jaqzf", name="静安区人民政府", kind=UnitKind.DISTRICT_GOVERNMENT
    )
    other = Unit.objects.create(
        code="cjl",
        name="曹家渡街道",
        kind=UnitKind.STREET,
        peer_group=PeerGroup.STREETS,
        parent=government,
    )
    Unit.objects.filter(pk=d.street.pk).update(parent=government)
    carl = make_user("carl", other, Role.UNIT_HANDLER)
    gus = make_user("gus", government, Role.UNIT_HANDLER)
    theirs = new_order(d, title="曹家渡的井盖")
    with time_machine.travel(at("2023-03-01 10:00"), tick=False):
        actions.dispatch(theirs, d.dan, lead_unit=other)
    actions.accept(theirs, carl, now=at("2023-03-01 10:30"))
    return gus, theirs


def test_a_district_government_handler_cannot_open_a_streets_orders(client, district):
    gus, theirs = _district_government_with_two_streets(district)
    client.force_login(gus)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        drill = client.get(
            reverse("unit_kpi_orders") + MARCH + f"&kpi={kpis.SIGN_FOR}&unit=cjl&part=denominator"
        )
        order = client.get(reverse("order_detail", args=[theirs.number]))
    assert order.status_code in (403, 404)  # what he may open: not this order
    assert drill.status_code == 403
    assert theirs.number not in drill.content.decode()


def test_a_district_government_handler_sees_no_streets_figures(client, district):
    gus, _theirs = _district_government_with_two_streets(district)
    client.force_login(gus)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        page = client.get(reverse("unit_kpis") + MARCH)
    assert page.status_code == 200
    below = [row["unit"].code for row in page.context.get("below", [])]
    assert "cjl" not in below
    assert "曹家渡街道" not in page.content.decode()
