"""When Chen Li comes after her pre-review, the case opened for her links to it — and to her
ticket and the appointment it came from — so the window does not ask again."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.cases import actions as cases
from hotline.hall import actions as hall
from hotline.hall.actions import appointments as booking_actions
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment, AppointmentSlot
from hotline.prereview import actions
from hotline.prereview.models import PreReviewAction, PreReviewState
from tests.cases.conftest import serve
from tests.conftest import at
from tests.prereview.conftest import CHEN_PHONE, pdf

MORNING = at("2026-03-10 09:30")


def _passed(pt):
    with time_machine.travel(at("2026-03-09 10:00"), tick=False):
        review = pt.chen_files()
        actions.pass_review(review, pt.wendy, note="请带原件")
    return review


def test_the_case_opened_for_chen_links_her_passed_prereview(pt):
    review = _passed(pt)
    ticket, case = serve(
        pt.ct, pt.residence, MORNING, holder_key=holder_key(phone=CHEN_PHONE), holder_name="陈丽"
    )
    review.refresh_from_db()
    assert (review.case, review.ticket, review.state) == (case, ticket, PreReviewState.PASSED)
    link = review.events.get(action=PreReviewAction.LINK)
    assert link.payload["case"] == case.number and link.actor is None


def test_a_ticket_taken_with_her_id_card_links_when_she_gave_the_id(pt):
    review = actions.submit(
        pt.hall,
        pt.residence,
        name="陈丽",
        phone=CHEN_PHONE,
        id_number="31010619900101009x",
        uploads={pt.id_card.pk: pdf()},
    )
    _ticket, case = serve(
        pt.ct, pt.residence, MORNING, holder_key=holder_key(id_number="31010619900101009X")
    )
    review.refresh_from_db()
    assert review.case == case


def test_someone_else_or_another_matter_or_an_anonymous_ticket_links_nothing(pt):
    review = _passed(pt)
    serve(pt.ct, pt.residence, MORNING, holder_key=holder_key(phone="13800000000"))
    serve(pt.ct, pt.residence, MORNING + dt.timedelta(minutes=20))
    serve(
        pt.ct,
        pt.ct.town.allowance,
        MORNING + dt.timedelta(minutes=40),
        holder_key=holder_key(phone=CHEN_PHONE),
    )
    review.refresh_from_db()
    assert review.case is None and review.ticket is None


def test_a_withdrawn_or_rejected_prereview_is_not_linked(pt):
    withdrawn = pt.chen_files()
    actions.withdraw(withdrawn)
    serve(pt.ct, pt.residence, MORNING, holder_key=holder_key(phone=CHEN_PHONE))
    withdrawn.refresh_from_db()
    assert withdrawn.case is None


def test_her_booked_appointment_is_linked_through_its_ticket(pt):
    review = _passed(pt)
    slot = AppointmentSlot.objects.create(
        hall=pt.hall,
        matter=pt.residence,
        day=dt.date(2026, 3, 10),
        starts=dt.time(9, 30),
        ends=dt.time(10, 0),
        capacity=2,
    )
    with time_machine.travel(at("2026-03-09 12:00"), tick=False):
        booking = booking_actions.book(
            slot, holder_key=holder_key(phone=CHEN_PHONE), holder_name="陈丽"
        )
    # Booking is enough for the pre-review to know she is coming.
    review.refresh_from_db()
    assert review.appointment_id == booking.pk and review.case is None
    with time_machine.travel(at("2026-03-10 09:25"), tick=False):
        ticket = booking_actions.check_in(booking)
        hall.sign_in(pt.ct.town.w1, pt.wendy)
        hall.call_ticket(pt.ct.town.w1, pt.wendy, ticket, reason="预约")
        hall.start(ticket, pt.wendy)
    review.refresh_from_db()
    assert review.appointment == Appointment.objects.get(pk=booking.pk)
    assert review.ticket == ticket and review.case is not None


def test_a_walk_in_keeps_the_booking_recorded_earlier(pt):
    review = _passed(pt)
    slot = AppointmentSlot.objects.create(
        hall=pt.hall,
        matter=pt.residence,
        day=dt.date(2026, 3, 11),
        starts=dt.time(10),
        ends=dt.time(11),
    )
    with time_machine.travel(at("2026-03-09 12:00"), tick=False):
        booking = booking_actions.book(slot, holder_key=holder_key(phone=CHEN_PHONE))
    serve(pt.ct, pt.residence, MORNING, holder_key=holder_key(phone=CHEN_PHONE))
    review.refresh_from_db()
    assert review.appointment_id == booking.pk and review.case is not None
    assert review.events.filter(action=PreReviewAction.LINK).count() == 2


def test_a_case_withdrawn_when_her_ticket_moved_does_not_keep_the_prereview(pt):
    review = _passed(pt)
    ticket, first = serve(pt.ct, pt.residence, MORNING, holder_key=holder_key(phone=CHEN_PHONE))
    with time_machine.travel(MORNING + dt.timedelta(minutes=3), tick=False):
        cases.withdraw_for_transfer(ticket, pt.wendy, pt.ct.town.allowance)
    _t, second = serve(
        pt.ct,
        pt.residence,
        MORNING + dt.timedelta(days=1),
        holder_key=holder_key(phone=CHEN_PHONE),
    )
    review.refresh_from_db()
    assert second != first and review.case == second


def _prereview_queries(pt, holder: str) -> int:
    with time_machine.travel(MORNING, tick=False):
        ticket = hall.issue(pt.hall, pt.residence, holder_key=holder)
        hall.sign_in(pt.ct.town.w1, pt.wendy)
        hall.call_ticket(pt.ct.town.w1, pt.wendy, ticket, reason="测试")
        with CaptureQueriesContext(connection) as queries:
            hall.start(ticket, pt.wendy, holder_seen=True)  # the clerk saw the ID
        hall.finish(ticket, pt.wendy)
    # The pre-review tables, not the matter's prereview_allowed column.
    return sum('"prereview_prereview' in q["sql"] for q in queries.captured_queries)


def test_opening_a_case_costs_one_query_for_a_real_name_and_none_for_anonymous(pt):
    assert _prereview_queries(pt, "") == 0
    assert _prereview_queries(pt, holder_key(phone="13800000001")) == 1
