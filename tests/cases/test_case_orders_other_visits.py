"""The case page lists the 12345 orders of the applicant's other visits only with their consent.

Li (mobile 13816200202) was served at the 新闸路 hall (xzl), showed his ID, and rated the visit
不满意: the 差评 became a rectification order. Later Wendy, at 大宁路, serves a ticket under
Li's number and ticks "ID seen" as she starts — she alone can do that, with no Li at the window
(a reception ticket under any number). His case's page listed the 新闸路 rectification order
with no code (review, session 21): the consent by a texted code (143e07c) guarded only the
listing by number. Now the page lists the orders of the case's own visits only; those of his
other visits once he has read her the code texted to his number.
"""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from hotline.hall import actions as hall
from hotline.hall import identity
from hotline.ratings import actions as ratings
from hotline.ratings.models import Channel
from tests.cases.conftest import serve
from tests.cases.test_citizen_orders import _show, _text_code
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db
LI = "13816200202"


@pytest.fixture
def li_case(ct):
    """Li's 差评 at 新闸路, then a case under his number at 大宁路 (Wendy saw "his" ID)."""
    xzl = make_hall(ct.town.district, code="xzl")
    key = identity.holder_key(phone=LI)
    with time_machine.travel(at("2025-03-03 10:00"), tick=False):
        ticket = hall.issue(xzl.hall, xzl.residence, holder_key=key)
        hall.sign_in(xzl.w1, xzl.wendy)
        hall.call_ticket(xzl.w1, xzl.wendy, ticket, reason="测试")
        hall.start(ticket, xzl.wendy, holder_seen=True)
    with time_machine.travel(at("2025-03-03 10:20"), tick=False):
        hall.finish(ticket, xzl.wendy)
        ratings.rate(ticket, None, level=2, channel=Channel.QR, reasons=["waiting"])
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"), holder_key=key)
    return case


def _orders(response) -> list[tuple[str, str]]:
    return [(link.order.title, link.via) for link in response.context["citizen_orders"]]


def test_without_his_code_the_case_lists_no_order_of_his_other_halls_visit(client, ct, li_case):
    client.force_login(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 10:05"), tick=False):
        page = client.get(reverse("cases:detail", args=[li_case.number]))
        assert page.status_code == 200
        assert _orders(page) == []
        section = client.post(
            reverse("cases:citizen_orders", args=[li_case.number]), {"phone": "", "step": "show"}
        )
        assert _orders(section) == []


def test_with_his_code_the_order_of_his_other_visit_is_listed(client, ct, li_case):
    client.force_login(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 10:05"), tick=False):
        sent, code = _text_code(client, li_case, phone=LI)
        assert code
        shown = _show(client, li_case, sent, code, phone=LI)
        assert [via for _title, via in _orders(shown)] == ["rating"]
        page = client.get(reverse("cases:detail", args=[li_case.number]))
        assert [via for _title, via in _orders(page)] == ["rating"]
    with time_machine.travel(at("2025-03-04 10:40"), tick=False):  # his consent has run out
        assert _orders(client.get(reverse("cases:detail", args=[li_case.number]))) == []
