"""A ticket left waiting when the hall closed does not hold the person's place the next day.

张三 took today's 居住证 ticket on his phone at 16:40 (a mobile number is its real name); the
windows closed at 17:00 before his turn. The next morning the kiosk and the portal both refused
him, with the same mobile, "您已持有居住证办理的号票", on every later day too, and a booking
checked in at the kiosk was refused the same way; his "my place" page still counted the people
ahead of him in yesterday's queue. One active ticket per person and matter is a rule of the day
(the database's constraint included), and my place says yesterday's ticket is no longer valid."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from hotline.hall import actions
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Source, Ticket, TicketState
from tests.conftest import at
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _left_waiting_at_closing(town) -> Ticket:
    with time_machine.travel(at("2023-03-09 16:40"), tick=False):
        return actions.issue(
            town.hall,
            town.residence,
            source=Source.PORTAL,
            holder_key=holder_key(phone=PHONE),
            sms_phone=PHONE,
        )


def test_the_next_day_the_same_person_gets_a_ticket_at_the_kiosk(client, town):
    left = _left_waiting_at_closing(town)
    with time_machine.travel(at("2023-03-10 09:30"), tick=False):
        response = client.post("/hall/dnl/kiosk/", {"matter": town.residence.pk, "phone": PHONE})
        assert response.status_code == 302, response.content.decode()
        proved = {"source": Source.PORTAL, "holder_key": left.holder_key, "sms_phone": PHONE}
        actions.issue(town.hall, town.allowance, **proved)
        with pytest.raises(actions.InvalidInput):  # still one active proved ticket a day
            actions.issue(town.hall, town.allowance, **proved)
    today = Ticket.objects.exclude(pk=left.pk).get(matter=town.residence)
    assert (today.day, today.number, today.holder_key) == (
        dt.date(2023, 3, 10),
        "A001",
        left.holder_key,
    )


def test_the_next_day_a_booking_checks_in_for_the_same_person(town):
    _left_waiting_at_closing(town)
    slot = open_slot(town, dt.date(2023, 3, 10))
    with time_machine.travel(at("2023-03-09 16:50"), tick=False):
        appointment = booking.book(slot, holder_key=holder_key(phone=PHONE))
    ticket = booking.arrive(town.hall, code=appointment.code, now=at("2023-03-10 08:45"))
    assert ticket.day == dt.date(2023, 3, 10) and ticket.state == TicketState.WAITING


def test_the_database_still_refuses_two_active_tickets_of_one_day(town):
    left = _left_waiting_at_closing(town)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(
            hall=town.hall, day=left.day, number="A099", matter=town.residence,
            holder_key=left.holder_key, holder_proof="sms", token="x" * 20,
            issued_at=left.issued_at,
            queued_at=left.queued_at,
        )  # fmt: skip


def test_my_place_says_yesterdays_ticket_is_no_longer_valid(client, town):
    left = _left_waiting_at_closing(town)
    with time_machine.travel(at("2023-03-09 16:45"), tick=False):
        same_day = client.get(f"/hall/place/{left.token}/").content.decode()
    with time_machine.travel(at("2023-03-10 09:30"), tick=False):
        page = client.get(f"/hall/place/{left.token}/").content.decode()
    assert "前面还有" in same_day and 'data-testid="place-expired"' not in same_day
    assert 'data-testid="place-expired"' in page and "2023-03-09" in page
    assert "前面还有" not in page and "预计等候" not in page
