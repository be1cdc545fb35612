"""A number typed at the kiosk is no proof (attack, session 19; session 20).

A stranger at the kiosk typed 张三's mobile number (BOOKING_PHONE) and took a 居住证 ticket. Before:
张三 was then refused his own ticket for the matter that day, at the kiosk and on the portal (the
one-active-ticket-per-holder rule and its database constraint); the stranger's visit showed in the
12345 caller history under his number; and when the stranger's ticket had been called, 张三
checking in his appointment was sent to that window, to be served on the stranger's ticket.

A ticket now records whether its holder proved the number theirs and how (``holder_proof``: the
code texted on the portal, a booking checked in, staff who see the person), set by the action
from how the ticket was given. An unproved ticket stays a ticket, just not that person's: it binds
no one-ticket rule, is not taken over or pointed to by a check-in, and is not in the caller
history. And the kiosk, by a typed number, no longer tells that a booking was cancelled or missed.
"""

from __future__ import annotations

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from hotline.hall import actions
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import (
    AppointmentState,
    HolderProof,
    Priority,
    Source,
    Ticket,
    TicketState,
)
from hotline.ratings import hotline_link
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

KEY = holder_key(phone=BOOKING_PHONE)
KIOSK = "/hall/dnl/kiosk/"


def _stranger_at_the_kiosk(client, town, when: str = "2023-03-10 09:05") -> Ticket:
    """The stranger's kiosk ticket under 张三's number, through the kiosk's page."""
    with time_machine.travel(at(when), tick=False):
        response = client.post(KIOSK, {"matter": town.residence.pk, "phone": BOOKING_PHONE})
    assert response.status_code == 302, response.content.decode()
    return Ticket.objects.get(token=response["Location"].rstrip("/").rsplit("/", 1)[1])


def test_each_way_of_giving_a_ticket_records_its_proof(town):
    given = {
        "kiosk": actions.issue(town.hall, town.residence, holder_key=KEY),
        "portal": actions.issue(
            town.hall, town.allowance, source=Source.PORTAL, holder_key=KEY, sms_phone=BOOKING_PHONE
        ),
        "reception": actions.issue(
            town.hall,
            town.residence,
            source=Source.RECEPTION,
            actor=town.hugo,
            holder_key=holder_key(phone="13800000000"),
        ),
        "anonymous": actions.issue(town.hall, town.residence),
    }
    assert {way: t.holder_proof for way, t in given.items()} == {
        "kiosk": HolderProof.NONE,
        "portal": HolderProof.SMS,
        "reception": HolderProof.STAFF,
        "anonymous": HolderProof.NONE,
    }
    # The portal's source without the texted number is no proof (a future caller of the
    # action passing the source alone proves nothing).
    bare = actions.issue(
        town.hall, town.residence, source=Source.PORTAL, holder_key=holder_key(phone="13700000000")
    )
    assert bare.holder_proof == HolderProof.NONE


def test_a_strangers_kiosk_ticket_refuses_the_owner_nothing(client, town):
    stranger = _stranger_at_the_kiosk(client, town)
    with time_machine.travel(at("2023-03-10 09:06"), tick=False):
        # On the portal (the code texted to him): his ticket, the stranger's untouched.
        own = actions.issue(
            town.hall,
            town.residence,
            source=Source.PORTAL,
            holder_key=KEY,
            sms_phone=BOOKING_PHONE,
        )
        # At the kiosk too (typing his number again proves nothing either, refuses nothing).
        again = client.post(KIOSK, {"matter": town.residence.pk, "phone": BOOKING_PHONE})
    assert again.status_code == 302
    assert own.holder_proof == HolderProof.SMS and own.state == TicketState.WAITING
    stranger.refresh_from_db()
    assert stranger.state == TicketState.WAITING
    # A proved holder still holds one ticket a matter: a second one is refused, and the
    # database's rule says so too.
    with pytest.raises(actions.InvalidInput), time_machine.travel(at("2023-03-10 09:07")):
        actions.issue(
            town.hall, town.residence, source=Source.PORTAL, holder_key=KEY, sms_phone=BOOKING_PHONE
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(
            hall=town.hall, day=own.day, number="A099", matter=town.residence, holder_key=KEY,
            holder_proof=HolderProof.STAFF, token="y" * 20, issued_at=own.issued_at,
            queued_at=own.queued_at,
        )  # fmt: skip


def test_the_caller_history_lists_only_proved_tickets(client, town):
    stranger = _stranger_at_the_kiosk(client, town)
    assert stranger not in hotline_link.visits_for_phone(BOOKING_PHONE).tickets
    with time_machine.travel(at("2023-03-10 09:06"), tick=False):
        own = actions.issue(
            town.hall, town.allowance, source=Source.RECEPTION, actor=town.hugo, holder_key=KEY
        )
    assert hotline_link.visits_for_phone(BOOKING_PHONE).tickets == [own]


def test_a_check_in_does_not_send_him_to_the_strangers_window(client, town, appointment):
    stranger = _stranger_at_the_kiosk(client, town)
    with time_machine.travel(at("2023-03-10 09:06"), tick=False):
        actions.sign_in(town.w2, town.walt)
        actions.call_next(town.w2, town.walt)
    stranger.refresh_from_db()
    assert stranger.state == TicketState.CALLED
    with time_machine.travel(at("2023-03-10 09:10"), tick=False):
        response = client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code})
    assert response.status_code == 302, response.content.decode()
    appointment.refresh_from_db()
    ticket = appointment.ticket
    assert appointment.state == AppointmentState.CHECKED_IN
    assert (ticket.priority, ticket.holder_proof) == (Priority.APPOINTMENT, HolderProof.BOOKING)
    stranger.refresh_from_db()
    assert stranger.state == TicketState.CALLED  # still the stranger's, at window 2


def test_a_check_in_replaces_a_waiting_kiosk_ticket_under_the_number(client, town, appointment):
    # Most often the holder's own, typed before they saw the check-in button: replaced, so no
    # ghost is left in the queue (tests/browser/test_hall_check_in_over_ticket.py); a stranger's
    # loses its place, its page naming the new number without a link (a19b58c).
    earlier = _stranger_at_the_kiosk(client, town)
    ticket = booking.arrive(town.hall, code=appointment.code, now=at("2023-03-10 09:10"))
    earlier.refresh_from_db()
    assert earlier.state == TicketState.ENDED
    assert ticket.state == TicketState.WAITING and ticket.pk != earlier.pk


def test_the_kiosk_by_number_does_not_tell_a_booking_was_cancelled(client, appointment):
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        booking.cancel(appointment, reason="改期")
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        by_number = client.post("/hall/dnl/kiosk/check-in/", {"phone": BOOKING_PHONE})
        by_code = client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code})
    assert by_number.status_code == 422
    assert "该预约已取消" not in by_number.content.decode()
    assert "该手机号当前没有可签到的预约" in by_number.content.decode()  # as for no booking
    assert "该预约已取消" in by_code.content.decode()  # the code is the holder's: told


def test_the_operators_cancel_is_refused_by_the_action_for_another_number(
    district, appointment, four_pm
):
    """The holder check lives in the action (one write path: a page or a future API)."""
    with pytest.raises(booking.NotTheCallers) as refused:
        booking.cancel(appointment, actor=district.olga, reason="来电改期")
    with pytest.raises(booking.NotTheCallers):
        booking.cancel(
            appointment, actor=district.olga, reason="来电改期", caller_phone="13800000000"
        )
    assert "张三" not in refused.value.message
    assert (
        "用该号码查询来电记录" in refused.value.message
    )  # what to do: look up the booking's number
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED
    booking.cancel(
        appointment, actor=district.olga, reason="来电改期", caller_phone="+86 139 1234 5678"
    )
    assert appointment.state == AppointmentState.CANCELLED


def test_the_operators_refused_page_does_not_name_the_holder(
    client, district, appointment, four_pm
):
    client.force_login(district.olga)
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    page = client.post(url, {"caller_phone": "13800000000"}, HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "look them up under that number" in body and "张三" not in body


def test_a_strangers_ticket_shows_none_of_the_owners_12345_orders(client, town):
    """A ticket's page lists the 12345 orders of its holder's visits; for a ticket taken under a
    typed number those are not its holder's (a stranger's ticket showed the owner's orders)."""
    from hotline.ratings import actions as ratings

    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        own = actions.issue(
            town.hall, town.allowance, source=Source.RECEPTION, actor=town.hugo, holder_key=KEY
        )
        ratings.refer(
            town.hall,
            town.wendy,
            what="老年综合津贴",
            why="系统故障，窗口无法受理",
            ticket_number=own.number,
            phone=BOOKING_PHONE,
            name="张三",
        )
    stranger = _stranger_at_the_kiosk(client, town)
    assert len(hotline_link.orders_for_ticket(own, town.wendy)) == 1
    assert hotline_link.orders_for_ticket(stranger, town.wendy) == []


def test_a_reception_ticket_under_a_number_lists_that_visit_s_orders_only(town):
    """Review, session 21: the could-not-get-it-done page lists a ticket's 12345 orders, and a
    clerk sets the number of a reception ticket; so a ticket made up under 张三's number listed
    the referrals of his visits in every hall, with no 张三 there. Staff's ticket: this visit
    only; the citizen's own proof (a texted code) still opens the other visits."""
    from hotline.ratings import actions as ratings

    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        earlier = actions.issue(
            town.hall, town.allowance, source=Source.PORTAL, holder_key=KEY, sms_phone=BOOKING_PHONE
        )
        ratings.refer(
            town.hall,
            town.wendy,
            what="老年综合津贴",
            why="系统故障，窗口无法受理",
            ticket_number=earlier.number,
            phone=BOOKING_PHONE,
            name="张三",
        )
    with time_machine.travel(at("2023-03-10 10:00"), tick=False):
        made_up = actions.issue(
            town.hall, town.residence, source=Source.RECEPTION, actor=town.hugo, holder_key=KEY
        )
        assert hotline_link.orders_for_ticket(made_up, town.wendy) == []
        actions.cancel(made_up)  # one ticket per person and matter
        own = actions.issue(
            town.hall, town.residence, source=Source.PORTAL, holder_key=KEY, sms_phone=BOOKING_PHONE
        )
    assert made_up.holder_proof == HolderProof.STAFF
    assert len(hotline_link.orders_for_ticket(own, town.wendy)) == 1
