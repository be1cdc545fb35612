"""Nina's 居委会 inbox says where each order came from (二级派单; session 27, issue 16 item 1).

Una's street 江宁路街道 assigns an order to Nina's 三和花园居委会; Nina passes another down to
Bella's 楼组. Nina's row read '↳ 已派给 三和花园居委会' - her own unit, which tells her nothing;
it now says '↳ 由 江宁路街道 交办', and the street's rows still say where each order went.
"""

from __future__ import annotations

from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from hotline.org.models import Role, Unit, UnitKind
from tests.conftest import make_user
from tests.orders.factory import new_order, order_in
from tests.web.test_order_pages import page


def _row(html: str, number: str) -> str:
    start = html.index(f'<tr data-number="{number}">')
    return html[start : html.index("</tr>", start)]


def _inbox(client, user, tab: str = "", **headers) -> str:
    url = reverse("unit_inbox") + (f"?tab={tab}" if tab else "")
    return page(client, user, url, **headers).content.decode()


def test_the_neighbourhood_reads_which_street_gave_it_the_order(client, district):
    d = district
    order = order_in(State.DISPATCHED, d, inside=d.neighbourhood)

    row = _row(_inbox(client, d.nina), order.number)
    assert 'data-testid="assigned-from">↳ 由 江宁路街道 交办<' in row
    assert "已派给" not in row

    english = _row(_inbox(client, d.nina, HTTP_ACCEPT_LANGUAGE="en"), order.number)
    assert "↳ assigned to your unit by 江宁路街道<" in english

    # The street still reads where it sent the order.
    street = _row(_inbox(client, d.una, "assigned"), order.number)
    assert 'data-testid="assigned-unit">↳ 已派给 三和花园居委会<' in street
    assert "assigned-from" not in street


def test_an_order_the_centre_sent_straight_to_the_neighbourhood_came_through_its_street(
    client, district
):
    d = district
    order = new_order(d)
    actions.dispatch(order, d.dan, lead_unit=d.neighbourhood)

    row = _row(_inbox(client, d.nina), order.number)
    assert "↳ 由 江宁路街道 交办<" in row


def test_the_building_group_reads_that_the_neighbourhood_passed_it_down(client, district):
    d = district
    building = Unit.objects.create(
        code="jnl-01-1", name="三和花园1号楼楼组", kind=UnitKind.OTHER, parent=d.neighbourhood
    )
    bella = make_user("bella", building, Role.UNIT_HANDLER)
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    actions.assign_inside(order, d.nina, unit=building)

    assert "↳ 由 三和花园居委会 交办<" in _row(_inbox(client, bella), order.number)
    nina = _row(_inbox(client, d.nina, "assigned"), order.number)
    assert "↳ 已派给 三和花园1号楼楼组<" in nina
