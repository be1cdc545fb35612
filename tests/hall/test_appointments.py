"""Appointments: slots with capacity, days ahead and per-person limits, booking by the citizen or
by Olga (12345 operator) for a caller, cancel, check-in with tolerance, no-shows."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentState, Priority, Source, TicketState
from hotline.hall.rules import CapReached, InvalidInput, InvalidTransition, NotAllowed
from tests.conftest import at

pytestmark = pytest.mark.django_db

ZHANG = holder_key(phone="13912345678")
LI = holder_key(phone="13800001111")


@pytest.fixture
def slots(town):
    return booking.open_slots(
        town.hall,
        town.residence,
        dt.date(2023, 3, 10),
        starts=dt.time(9),
        ends=dt.time(10),
        minutes=30,
        capacity=1,
    )


def test_a_slot_takes_as_many_as_its_capacity(town, slots):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        booking.book(slots[0], holder_key=ZHANG, holder_name="张三")
        with pytest.raises(CapReached):
            booking.book(slots[0], holder_key=LI)
        booking.book(slots[1], holder_key=LI)


def test_limits_days_ahead_per_person_and_past_slots(town, slots):
    later = booking.open_slots(
        town.hall, town.residence, dt.date(2023, 3, 20), starts=dt.time(9), ends=dt.time(9, 30),
        minutes=30, capacity=5,
    )  # fmt: skip
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        with pytest.raises(InvalidInput):
            booking.book(later[0], holder_key=ZHANG)  # eleven days ahead, seven allowed
        booking.book(slots[0], holder_key=ZHANG)
        with pytest.raises(InvalidInput):
            booking.book(slots[1], holder_key=ZHANG)  # same matter, same day
    with time_machine.travel(at("2023-03-10 09:10"), tick=False), pytest.raises(InvalidInput):
        booking.book(slots[0], holder_key=LI)  # it has started


def test_olga_books_for_a_caller_but_una_cannot(town, slots):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        appointment = booking.book(slots[0], holder_key=ZHANG, booked_by=town.district.olga)
        assert appointment.booked_by == town.district.olga
        with pytest.raises(NotAllowed):
            booking.book(slots[1], holder_key=LI, booked_by=town.district.una)


def test_check_in_by_code_within_the_tolerance_gives_an_appointment_ticket(town, slots):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        appointment = booking.book(slots[0], holder_key=ZHANG, holder_name="张三")
    with time_machine.travel(at("2023-03-10 08:20"), tick=False), pytest.raises(InvalidTransition):
        booking.check_in(appointment)  # 40 minutes early; 30 allowed
    with time_machine.travel(at("2023-03-10 08:40"), tick=False):
        found = booking.find_for_check_in(
            town.hall, code=appointment.code.lower(), now=at("2023-03-10 08:40")
        )
        ticket = booking.check_in(found)
    assert ticket.priority == Priority.APPOINTMENT and ticket.source == Source.APPOINTMENT
    assert ticket.state == TicketState.WAITING
    found.refresh_from_db()
    assert found.state == AppointmentState.CHECKED_IN and found.ticket == ticket
    with pytest.raises(InvalidTransition):
        booking.check_in(found)


def test_check_in_by_phone_and_too_late(town, slots):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        booking.book(slots[1], holder_key=LI)
    now = at("2023-03-10 09:46")
    found = booking.find_for_check_in(
        town.hall, holder_key=holder_key(phone="138 0000 1111"), now=now
    )
    with pytest.raises(InvalidTransition):
        booking.check_in(found, now=now)  # 16 minutes late; 15 allowed


def test_cancel_before_the_slot_and_no_shows_after_it(town, slots):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        kept = booking.book(slots[0], holder_key=ZHANG)
        dropped = booking.book(slots[1], holder_key=LI)
        booking.cancel(dropped)
        # The place is free again.
        booking.book(slots[1], holder_key=holder_key(phone="13700002222"))
    assert booking.mark_no_shows(town.hall, now=at("2023-03-10 09:14")) == 0
    assert booking.mark_no_shows(town.hall, now=at("2023-03-10 09:16")) == 1
    kept.refresh_from_db()
    assert kept.state == AppointmentState.NO_SHOW
    with pytest.raises(InvalidTransition):
        booking.cancel(kept, now=at("2023-03-10 09:20"))
