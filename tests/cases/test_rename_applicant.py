"""Ada corrects a booking holder's name in the admin (张山 for 张三) after the citizen was served
on the booking's ticket: the application opened at the window printed 张山 on its receipt and
notices while the booking said 张三. The application's name follows while its case is in the
hall's hands, with a ``rename`` event on the case (the names before and after); a case delivered
keeps the name it was decided under."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.cases import actions
from hotline.cases.models import Case, CaseAction, CaseEvent, Delivery, LineState, Outcome
from hotline.hall import actions as hall
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.org.models import User
from tests.cases.conftest import CaseTown
from tests.conftest import at
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2023, 3, 10)


def _served_on_booking(ct: CaseTown):
    slot = open_slot(ct.town, FRIDAY, capacity=2)
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        appointment = booking.book(
            slot, holder_key=holder_key(phone="13900000001"), holder_name="张山"
        )
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        ticket = booking.check_in(appointment)
    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        hall.sign_in(ct.town.w1, ct.town.wendy)
        hall.call_ticket(ct.town.w1, ct.town.wendy, ticket, reason="测试")
        hall.start(ticket, ct.town.wendy)
    case = Case.objects.get(events__ticket=ticket, events__action=CaseAction.OPEN)
    return appointment, case


def test_the_application_takes_the_corrected_name_with_an_event(ct):
    appointment, case = _served_on_booking(ct)
    assert case.submission.applicant_name == "张山"
    ada = User.objects.create_superuser("ada-admin", password="pw")
    with time_machine.travel(at("2023-03-10 11:00"), tick=False):
        booking.rename_holder(appointment, "张三", actor=ada)
    case.refresh_from_db()
    assert case.submission.applicant_name == "张三"
    renamed = case.events.get(action=CaseAction.RENAME)
    assert (renamed.actor, renamed.reason) == (ada, "张山 → 张三")
    assert renamed.payload == {"from": "张山", "to": "张三"}


def test_a_delivered_case_keeps_the_name_it_was_decided_under(ct):
    appointment, case = _served_on_booking(ct)
    wendy = ct.town.wendy
    with time_machine.travel(at("2023-03-10 09:10"), tick=False):
        actions.receive(
            case.submission,
            wendy,
            {
                line.pk: actions.Received(LineState.RECEIVED, line.form, line.copies)
                for line in case.submission.lines.all()
            },
        )
        actions.accept(case, wendy)
        actions.conclude(case, wendy, outcome=Outcome.APPROVED)
        actions.deliver(case, wendy, method=Delivery.WINDOW)
    ada = User.objects.create_superuser("ada-admin", password="pw")
    with time_machine.travel(at("2023-03-10 11:00"), tick=False):
        booking.rename_holder(appointment, "张三", actor=ada)
    case.refresh_from_db()
    appointment.refresh_from_db()
    assert (appointment.holder_name, case.submission.applicant_name) == ("张三", "张山")
    assert not case.events.filter(action=CaseAction.RENAME).exists()


def test_a_bundle_with_a_delivered_case_keeps_its_name_whole(ct):
    # One application, one name: a bundle whose first case was delivered under 张山 keeps it
    # for its cases still in hand too, rather than print two names (review, session 20).
    (slot,) = booking.open_slots(
        ct.town.hall,
        ct.charter,
        FRIDAY,
        starts=dt.time(9),
        ends=dt.time(9, 30),
        minutes=30,
        capacity=2,
    )
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        appointment = booking.book(
            slot, holder_key=holder_key(phone="13900000001"), holder_name="张山"
        )
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        ticket = booking.check_in(appointment)
    wendy = ct.town.wendy
    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        hall.sign_in(ct.town.w1, wendy)
        hall.call_ticket(ct.town.w1, wendy, ticket, reason="测试")
        hall.start(ticket, wendy)
    first = Case.objects.get(events__ticket=ticket, events__action=CaseAction.OPEN)
    with time_machine.travel(at("2023-03-10 09:03"), tick=False):
        cases = actions.serve_as_bundle(first.submission, ct.bundle, wendy)
        submission = first.submission
        actions.receive(
            submission,
            wendy,
            {
                line.pk: actions.Received(LineState.RECEIVED, line.form, 1)
                for line in submission.lines.all()
            },
        )
        for case in cases:
            actions.accept(case, wendy)
        actions.conclude(cases[0], wendy, outcome=Outcome.APPROVED)
        actions.deliver(cases[0], wendy, method=Delivery.WINDOW)
    ada = User.objects.create_superuser("ada-admin", password="pw")
    with time_machine.travel(at("2023-03-10 11:00"), tick=False):
        booking.rename_holder(appointment, "张三", actor=ada)
    submission.refresh_from_db()
    appointment.refresh_from_db()
    assert (appointment.holder_name, submission.applicant_name) == ("张三", "张山")
    assert not CaseEvent.objects.filter(case__submission=submission, action="rename").exists()
