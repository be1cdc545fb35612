"""The case page shows the citizen's 12345 orders — the reverse of the intake's caller history.

Mr Wang (mobile 13816200101) called 12345 about a broken street lamp on 3 March 2025, and once
more anonymously about a neighbour's noise. On 4 March he applied for a 居住证 at Wendy's window
with his mobile as his real name, and rated the visit 不满意: the 差评 became a rectification order.
Wendy sees, on his case, the rectification order at once and, when she types his number, the
lamp order he called in — his phone masked — but not the anonymous one. A wrong number is refused.
"""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from hotline.cases.models import Case
from hotline.hall import actions as hall
from hotline.hall import identity
from hotline.orders import actions as orders
from hotline.ratings import actions as ratings
from hotline.ratings.models import Channel
from tests.cases.conftest import serve
from tests.conftest import at

pytestmark = pytest.mark.django_db
WANG = "13816200101"


@pytest.fixture
def wang(ct) -> Case:
    olga = ct.town.district.olga
    with time_machine.travel(at("2025-03-03 09:00"), tick=False):
        orders.register(
            olga,
            title="路灯不亮",
            description="大宁路某小区门口路灯坏了一周",
            citizen_name="王建国",
            citizen_phone=WANG,
        )
        orders.register(
            olga,
            title="邻居噪音扰民",
            description="夜间噪音",
            citizen_phone=WANG,
            anonymous=True,
        )
    ticket, case = serve(
        ct, ct.residence, at("2025-03-04 10:00"), holder_key=identity.holder_key(phone=WANG)
    )
    with time_machine.travel(at("2025-03-04 10:20"), tick=False):
        hall.finish(ticket, ct.town.wendy)
        ratings.rate(ticket, None, level=2, channel=Channel.QR, reasons=["waiting"])
    return case


def _rows(response) -> dict[str, str]:
    return {link.order.number: link.via for link in response.context["citizen_orders"]}


def test_the_case_shows_the_order_opened_from_the_citizens_bad_rating(client, ct, wang):
    client.force_login(ct.town.wendy)
    response = client.get(reverse("cases:detail", args=[wang.number]))
    assert response.status_code == 200
    assert list(_rows(response).values()) == ["rating"]


def test_typing_the_applicants_number_lists_the_orders_he_called_in_masked(client, ct, wang):
    client.force_login(ct.town.wendy)
    response = client.post(reverse("cases:citizen_orders", args=[wang.number]), {"phone": WANG})
    assert response.status_code == 200
    found = {link.order.title: link for link in response.context["citizen_orders"]}
    assert sorted(link.via for link in found.values()) == ["caller", "rating"]
    lamp = found["路灯不亮"]
    assert lamp.via == "caller" and lamp.contact.phone == "*******0101"
    assert "邻居噪音扰民" not in found  # anonymous: not the hall's to see
    html = response.content.decode()
    assert WANG not in html and "*******0101" in html


def test_the_section_alone_comes_back_to_htmx(client, ct, wang):
    client.force_login(ct.town.wendy)
    response = client.post(
        reverse("cases:citizen_orders", args=[wang.number]),
        {"phone": WANG},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'id="citizen-orders"' in html and "<html" not in html
    assert "路灯不亮" in html


def test_a_number_that_is_not_the_applicants_is_refused(client, ct, wang):
    client.force_login(ct.town.wendy)
    response = client.post(
        reverse("cases:citizen_orders", args=[wang.number]), {"phone": "13900000000"}
    )
    assert response.status_code == 200
    assert response.context["orders_problem"] == "这不是该办件登记时使用的手机号码。"
    assert list(_rows(response).values()) == ["rating"]  # what was there stays


def test_another_halls_clerk_or_a_street_handler_cannot_look(client, ct, wang):
    client.force_login(ct.town.district.una)
    response = client.post(reverse("cases:citizen_orders", args=[wang.number]), {"phone": WANG})
    assert response.status_code == 403


def test_an_empty_number_asks_for_one(client, ct, wang):
    client.force_login(ct.town.wendy)
    response = client.post(reverse("cases:citizen_orders", args=[wang.number]), {"phone": " "})
    assert response.context["orders_problem"] == "请输入申请人的手机号码。"
