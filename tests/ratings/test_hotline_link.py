"""The hall and 12345, both ways: the caller history shows the caller's hall visits and where to
book; a 办不成事 at the hall becomes a 12345 order in one step; a ticket shows the 12345 orders
of that citizen's visits, masked as the reader's role requires."""

from __future__ import annotations

import re

import pytest
import time_machine

from hotline.hall import actions as hall
from hotline.hall import identity
from hotline.hall.models import Source
from hotline.orders.models import State, WorkOrder
from hotline.ratings import actions, hotline_link
from hotline.ratings.models import Channel, HallReferral
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _real_name_ticket(town, when="2023-03-09 09:30"):
    with time_machine.travel(at(when), tick=False):
        # Given at the reception desk (staff see him): a proved holder, whose visit the caller
        # history lists (one typed at the kiosk is not: tests/hall/test_proved_holder.py).
        return hall.issue(
            town.hall.hall,
            town.hall.residence,
            source=Source.RECEPTION,
            actor=town.hall.hugo,
            holder_key=identity.holder_key(phone=PHONE),
            holder_name="张三",
        )


def test_olga_sees_the_callers_hall_visits_and_where_to_book(town):
    ticket = _real_name_ticket(town)
    olga = logged_in(town.hall.district.olga)
    page = olga.post("/intake/caller-history", {"citizen_phone": "139-1234-5678"}).content.decode()
    assert 'data-testid="hall-visits"' in page and ticket.number in page and "居住证办理" in page
    # The booking page gets the number posted (a hidden field), never in its address.
    booking = page.split('data-testid="book-for-caller"')[1]
    assert 'action="/hall/dnl/book/"' in booking and 'href="/hall/dnl/book/?' not in booking
    assert PHONE not in re.sub(r'value="[^"]*"', "", booking)
    stranger = olga.post("/intake/caller-history", {"citizen_phone": "13800000000"})
    assert 'data-testid="hall-visits"' not in stranger.content.decode()
    assert not hotline_link.visits_for_phone("021-62345678")  # a landline: the hall keys mobiles


def test_wendy_turns_a_could_not_get_it_done_into_a_12345_order(town):
    ticket = _real_name_ticket(town)
    wendy = town.hall.wendy
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        with pytest.raises(actions.InvalidInput) as missing:
            actions.refer(town.hall.hall, wendy, what="居住证办理", why="", ticket_number="A001")
        assert missing.value.field == "why"
        with pytest.raises(actions.InvalidInput):
            actions.refer(town.hall.hall, wendy, what="居住证", why="系统故障", ticket_number="Z9")
        with pytest.raises(actions.NotAllowed):
            actions.refer(town.hall.hall, town.hall.district.una, what="居住证", why="系统故障")
        referral = actions.refer(
            town.hall.hall,
            wendy,
            what="居住证办理",
            why="房屋租赁合同未备案，窗口无法受理",
            ticket_number="a001",
            phone=PHONE,
            name="张三",
        )
    order = referral.order
    assert referral.ticket == ticket and referral.reported_by == wendy
    assert order.state == State.REGISTERED and order.citizen_phone == PHONE
    assert "A001" in order.description and "房屋租赁合同" in order.description
    assert list(order.events.values_list("action", flat=True)) == ["register"]


def test_the_page_makes_the_order_and_looks_up_a_citizens_orders_masked(town):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        rating = actions.rate(
            ticket, None, level=1, channel=Channel.QR, reasons=["not_done"], phone=PHONE
        )
        wendy = logged_in(town.hall.wendy)
        made = wendy.post(
            "/ratings/cannot-do/",
            {"ticket_number": ticket.number, "what": "居住证", "why": "材料不全", "phone": PHONE},
            follow=True,
        )
        assert made.status_code == 200 and 'data-testid="referral-made"' in made.content.decode()
        refused = wendy.post("/ratings/cannot-do/", {"what": "居住证", "why": ""})
        assert refused.status_code == 422
        page = wendy.get("/ratings/cannot-do/", {"ticket": ticket.number}).content.decode()
    referral = HallReferral.objects.get()
    assert WorkOrder.objects.count() == 2
    assert rating.order.number in page and referral.order.number in page
    assert PHONE not in page and "*******5678" in page
    assert logged_in(town.hall.district.una).get("/ratings/cannot-do/").status_code == 403


def test_who_sees_which_linked_orders(town):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        actions.rate(ticket, None, level=2, channel=Channel.QR, reasons=["waiting"], phone=PHONE)
    d = town.hall.district
    (for_olga,) = hotline_link.orders_for_ticket(ticket, d.olga)
    assert for_olga.contact.phone == PHONE and for_olga.via == "rating"
    (for_wendy,) = hotline_link.orders_for_ticket(ticket, town.hall.wendy)
    assert for_wendy.contact.phone == "*******5678"
    assert hotline_link.orders_for_ticket(ticket, d.victor) == []
