"""Ada corrects a booking holder's name in the admin after the citizen rang about a typo (张山 for
张三). When the booking was checked in already, its ticket kept the old name: the window and the
hall board still called 张* from the booking's first spelling while the booking said otherwise.
The ticket's name follows the booking's while the ticket is live (waiting, called, being served,
on hold), in the same transaction, and the booking's rename event says the ticket changed too; a
ticket that is over (served, cancelled, ended) keeps the name it was served under."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.actions import appointments as booking
from hotline.hall.board import recent_calls
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentAction
from hotline.org.models import User
from tests.conftest import at
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2023, 3, 10)


def _checked_in(town):
    slot = open_slot(town, FRIDAY, capacity=2)
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        appointment = booking.book(
            slot, holder_key=holder_key(phone="13900000001"), holder_name="张山"
        )
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        ticket = booking.check_in(appointment)
    return appointment, ticket


def test_renaming_a_checked_in_booking_renames_its_live_ticket(town):
    appointment, ticket = _checked_in(town)
    ada = User.objects.create_superuser("ada-admin", password="pw")
    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        actions.sign_in(town.w2, town.walt)
        actions.call_next(town.w2, town.walt)
        booking.rename_holder(appointment, "李四", actor=ada)
    ticket.refresh_from_db()
    assert ticket.holder_name == "李四"
    assert [c.name for c in recent_calls(town.hall, FRIDAY)] == ["李*"]
    renamed = appointment.events.get(action=AppointmentAction.RENAME)
    assert renamed.reason == f"张山 → 李四（号票{ticket.number}同步更正）"


def test_a_ticket_already_served_keeps_the_name_it_was_served_under(town):
    appointment, ticket = _checked_in(town)
    ada = User.objects.create_superuser("ada-admin", password="pw")
    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        actions.sign_in(town.w2, town.walt)
        actions.call_next(town.w2, town.walt)
        ticket.refresh_from_db()
        actions.start(ticket, town.walt)
        actions.finish(ticket, town.walt)
        booking.rename_holder(appointment, "李四", actor=ada)
    ticket.refresh_from_db()
    appointment.refresh_from_db()
    assert (appointment.holder_name, ticket.holder_name) == ("李四", "张山")
    renamed = appointment.events.get(action=AppointmentAction.RENAME)
    assert renamed.reason == "张山 → 李四"
