"""A 居委会 is told about an order its street signed for and then assigned to it (h5, session 24,
M5): its inbox opens on the tab that has it ('Handling', 'To sign for' being empty) and the
navigation's badge counts it until someone of the 居委会 acts on it."""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from tests.orders.factory import order_in
from tests.web.test_desk_refresh import _badge, _badges


def _open_tab(html: str) -> str:
    found = re.search(r'class="desk" data-desk="unit_inbox" data-tab="(\w+)"', html)
    assert found, "no desk"
    return found.group(1)


def test_the_neighbourhood_sees_what_its_street_assigned_after_signing_for_it(client, district):
    d = district
    order = order_in(State.ACCEPTED, d)
    actions.assign_inside(order, d.una, unit=d.neighbourhood, note="请居委会上门")
    client.force_login(d.una_nb)
    assert _badge(_badges(client), "unit_inbox") == "1"
    inbox = client.get(reverse("unit_inbox")).content.decode()
    assert _open_tab(inbox) == "handling" and order.number in inbox
    # Asked for, 'To sign for' still opens (empty).
    asked = client.get(reverse("unit_inbox") + "?tab=to_accept").content.decode()
    assert _open_tab(asked) == "to_accept" and order.number not in asked

    order.refresh_from_db()
    actions.first_contact(order, d.una_nb, way="phone", note="已电话联系")
    assert _badge(_badges(client), "unit_inbox") == "0"
    # The street's own badge never counted it (the 居委会 holds it).
    client.force_login(d.una)
    assert _badge(_badges(client), "unit_inbox") == "0"


def test_an_empty_inbox_still_opens_on_to_sign_for(client, district):
    client.force_login(district.una_nb)
    inbox = client.get(reverse("unit_inbox")).content.decode()
    assert _open_tab(inbox) == "to_accept"
