"""A handler of the district government (above the first level) through the pages: it lists,
signs for, replies to and reveals the phone of no unit's order but those dispatched to it.

The attack (session 20): ``hotline createuser unit-jaqzf --role unit_handler --unit jaqzf`` in
the demo listed 2,184 orders of 40 lead units, signed for a hall's order in the hall's name and
revealed the full phone of a 居委会's order. The permission matrix has the same handler as a row
(``handler_above``); this checks the reveal and the inbox, which the matrix does not read for a
phone number.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from hotline.org.models import Role, Unit, UnitKind
from hotline.security.models import PhoneView
from tests.conftest import make_user
from tests.orders.factory import new_order, order_in

PHONE = "13812345678"  # the factory's caller


@pytest.fixture
def gina(district):
    gov = Unit.objects.create(code="qzf", name="区人民政府", kind=UnitKind.DISTRICT_GOVERNMENT)
    Unit.objects.filter(pk__in=[district.centre.pk, district.street.pk, district.bureau.pk]).update(
        parent=gov
    )
    return make_user("gina", gov, Role.UNIT_HANDLER)


def test_no_phone_of_a_street_or_neighbourhood_order_is_revealed(client, district, gina):
    client.force_login(gina)
    for order in (
        order_in(State.ACCEPTED, district),
        order_in(State.ACCEPTED, district, inside=district.neighbourhood),
    ):
        got = client.post(reverse("order_phone", args=[order.number]), HTTP_HX_REQUEST="true")
        assert got.status_code in (403, 404)
        assert PHONE not in got.content.decode()
    assert not PhoneView.objects.filter(user=gina).exists()


def test_the_inbox_lists_only_the_governments_own_orders(client, district, gina):
    street_order = order_in(State.DISPATCHED, district)
    # A hall under the government with no handler of its own (as the demo's halls are): the
    # government does not sign for its orders either.
    hall = Unit.objects.create(
        code="hall", name="社区事务受理服务中心", kind=UnitKind.SERVICE_CENTRE, parent=gina.unit
    )
    hall_order = new_order(district, title="受理中心工单")
    actions.dispatch(hall_order, district.dan, lead_unit=hall)
    own = new_order(district, title="区政府交办件")
    actions.dispatch(own, district.dan, lead_unit=gina.unit)
    client.force_login(gina)
    inbox = reverse("unit_inbox")
    html = client.get(inbox).content.decode()
    assert own.number in html
    for tab in ("to_accept", "assigned", "waiting"):
        html = client.get(inbox, {"tab": tab}).content.decode()
        assert street_order.number not in html, tab
        assert hall_order.number not in html, tab
    got = client.post(reverse("order_phone", args=[own.number]), HTTP_HX_REQUEST="true")
    assert got.status_code == 200 and PHONE in got.content.decode()
