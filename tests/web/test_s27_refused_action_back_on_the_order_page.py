"""A refused action posted before htmx ran goes back to the order page, saying why with what was
typed (r1 leftover, session 27; the plain-post fallback of 1b3fe7f, a01847b, 87e5719). It was
the whole order page rendered at /orders/<number>/act/<action>: the address bar kept the action's
address, so a reload offered to post the form again and opening the address answered 405."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from hotline.orders.models import State, WorkOrder
from tests.conftest import at
from tests.orders.factory import order_in

WHOLE_PAGE = "<!doctype html>"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(at("2026-12-07 09:30"), tick=False):
        yield


def test_una_replies_without_a_text_and_is_back_on_the_order_page_told_why(client, district):
    order = order_in(State.ACCEPTED, district)
    client.force_login(district.una)
    url = reverse("order_act", args=[order.number, "reply"])
    response = client.post(url, {"version": order.version, "result": "resolved", "text": ""})

    assert response.status_code == 302
    assert response["Location"] == reverse("order_detail", args=[order.number])
    page = client.get(response["Location"]).content.decode()
    assert page.startswith(WHOLE_PAGE)
    # The reply dialog is open again with its error beside the box, the result she chose kept.
    dialog = re.search(
        r'<details class="action[^"]*" data-action="reply" open>(.*?)</details>', page, re.S
    )
    assert dialog, "the reply dialog is not open"
    assert '<ul class="errorlist' in dialog.group(1) and "此项必填。" in dialog.group(1)
    assert re.search(r'value="resolved"[^>]*checked', dialog.group(1))
    assert WorkOrder.objects.get(pk=order.pk).state == State.ACCEPTED


def test_an_order_no_longer_hers_is_said_where_she_pressed(client, district):
    # The order left her unit: the order page would be a 404, so the answer stays where it is.
    order = order_in(State.ACCEPTED, district)
    seen = order.version
    from hotline.orders import actions

    actions.redispatch(order, district.dan, lead_unit=district.bureau, reason="属民政职责")
    client.force_login(district.una)
    response = client.post(
        reverse("order_act", args=[order.number, "reply"]),
        {"version": seen, "result": "resolved", "text": "已修复路灯。"},
    )
    assert response.status_code == 409 and "已修复路灯。" in response.content.decode()
