"""Booked appointments in the wait estimate: a visitor with a booking is not a surprise. Today's
bookings not checked in yet come into the play at the moment such visitors usually check in,
counted with the chance they still come; the hourly rates count only unannounced priority
visitors, so nobody is expected twice."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.hall import actions, estimate
from hotline.hall.actions import appointments as booking
from hotline.hall.estimate import Habits, appointment_habits, booked_arrivals, bookings
from hotline.hall.identity import holder_key
from hotline.hall.models import Priority, Source
from tests.conftest import at

pytestmark = pytest.mark.django_db

ZHANG = holder_key(phone="13912345678")
LI = holder_key(phone="13800001111")
WANG = holder_key(phone="13700002222")


def slot(town, day: str, hour: int, minute: int = 0):
    """The 30-minute slot of 居住证 starting at ``hour:minute`` on ``day``."""
    start = dt.time(hour, minute)
    return booking.open_slots(
        town.hall,
        town.residence,
        dt.date.fromisoformat(day),
        starts=start,
        ends=(dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=30)).time(),
        minutes=30,
        capacity=5,
    )[0]


def test_a_booking_is_expected_when_such_visitors_check_in_with_the_chance_they_still_come():
    # Kept nine times in ten; holders check in 10 or 5 minutes early or on time.
    habits = Habits(keep=0.9, offsets=(-10.0, -5.0, 0.0))
    start = at("2023-03-09 10:00")
    # 20 minutes before the slot: all three ways of coming are ahead; the middle one, 15 minutes.
    assert booked_arrivals([(7, start)], habits, at("2023-03-09 09:40"), {7}) == [(15.0, 7, True)]
    # 8 minutes before it, not here yet: it came early a third of the time, so the chance
    # falls to 0.9 × ⅔ / (1 − 0.9 × ⅓) ≈ 0.86 (still one visitor), expected at the slot's start
    # or 5 minutes before it (the upper middle of the two ways left): 8 minutes from now.
    assert booked_arrivals([(7, start)], habits, at("2023-03-09 09:52"), {7}) == [(8.0, 7, True)]
    # After every way of coming has passed: not expected any more.
    assert booked_arrivals([(7, start)], habits, at("2023-03-09 10:01"), {7}) == []
    # A matter no open window serves is not played.
    assert booked_arrivals([(7, start)], habits, at("2023-03-09 09:40"), {8}) == []


def test_unlikely_bookings_add_up_to_visitors_like_the_hourly_rates():
    # Kept one time in three: three bookings of one matter make one expected visitor, at the
    # moment the summed chance passes a half (the second booking's).
    habits = Habits(keep=1 / 3, offsets=(0.0,))
    booked = [(7, at(f"2023-03-09 10:{m:02d}")) for m in (10, 20, 30)]
    assert booked_arrivals(booked, habits, at("2023-03-09 10:00"), {7}) == [(20.0, 7, True)]


def test_the_habits_are_read_from_earlier_days_kept_bookings_and_no_shows(town):
    kept = booking.book(slot(town, "2023-03-08", 10), holder_key=ZHANG, now=at("2023-03-07 12:00"))
    booking.book(slot(town, "2023-03-08", 11), holder_key=LI, now=at("2023-03-07 12:00"))
    called_off = booking.book(
        slot(town, "2023-03-08", 14), holder_key=WANG, now=at("2023-03-07 12:00")
    )
    booking.cancel(called_off, now=at("2023-03-07 13:00"))
    booking.check_in(kept, now=at("2023-03-08 09:54"))
    booking.mark_no_shows(town.hall, now=at("2023-03-08 18:00"))
    # One kept of two (the cancelled one is not a booking the hall waited for), 6 minutes early.
    assert appointment_habits(town.hall, at("2023-03-09 09:00")) == Habits(0.5, (-6.0,))


def test_before_any_history_bookings_are_kept_nine_in_ten_anywhere_in_the_tolerance(town):
    habits = appointment_habits(town.hall, at("2023-03-09 09:00"))
    assert habits.keep == estimate.DEFAULT_KEEP
    early, late = town.hall.checkin_early_minutes, town.hall.checkin_late_minutes
    assert habits.offsets[0] == -early and habits.offsets[-1] == late


def test_a_hall_whose_bookings_were_all_missed_expects_no_booked_visitor(town):
    booking.book(slot(town, "2023-03-08", 10), holder_key=ZHANG, now=at("2023-03-07 12:00"))
    booking.mark_no_shows(town.hall, now=at("2023-03-08 18:00"))
    habits = appointment_habits(town.hall, at("2023-03-09 09:00"))
    assert habits.keep == 0.0
    assert booked_arrivals([(7, at("2023-03-09 10:00"))], habits, at("2023-03-09 09:40"), {7}) == []


def test_only_todays_bookings_still_open_for_check_in_are_coming(town):
    today = booking.book(slot(town, "2023-03-09", 10), holder_key=ZHANG, now=at("2023-03-08 12:00"))
    booking.book(slot(town, "2023-03-10", 10), holder_key=LI, now=at("2023-03-08 12:00"))
    start = at("2023-03-09 10:00")
    assert bookings(town.hall, at("2023-03-09 09:50")) == [(town.residence.pk, start)]
    # Past the late tolerance, not checked in: nobody is coming any more.
    late = start + dt.timedelta(minutes=town.hall.checkin_late_minutes, seconds=1)
    assert bookings(town.hall, late) == []
    # Checked in: a waiting ticket now, no longer a booking (not counted twice).
    booking.check_in(today, now=at("2023-03-09 09:55"))
    assert bookings(town.hall, at("2023-03-09 09:56")) == []


def test_a_booked_visitor_due_before_the_window_frees_goes_ahead_of_a_newcomer(town):
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:50"))  # 居住证 only
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:50"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:50"))
    actions.call_next(town.w2, town.walt, now=at("2023-03-09 09:51"))  # busy until about 10:02
    # A newcomer at 09:55 is called after the one waiting: two services of about 11 minutes.
    low, high = estimate.for_newcomers(town.hall, [town.residence], at("2023-03-09 09:55"))[
        town.residence.pk
    ]
    # A booking for 10:00 nobody has checked in for yet: before any history, likely to come
    # (about 10:06) before the newcomer's turn, and then called first (the appointment lane):
    # one more service ahead.
    booking.book(slot(town, "2023-03-09", 10), holder_key=ZHANG, now=at("2023-03-08 12:00"))
    later_low, later_high = estimate.for_newcomers(
        town.hall, [town.residence], at("2023-03-09 09:55")
    )[town.residence.pk]
    assert (later_low + later_high) / 2 - (low + high) / 2 >= 10


def test_check_ins_are_not_counted_as_unannounced_priority_visitors(town):
    day_before = at("2023-03-07 12:00")
    booked = booking.book(slot(town, "2023-03-08", 10), holder_key=ZHANG, now=day_before)
    ticket = booking.check_in(booked, now=at("2023-03-08 09:58"))
    assert (ticket.source, ticket.priority) == (Source.APPOINTMENT, Priority.APPOINTMENT)
    actions.issue(town.hall, town.allowance, priority=Priority.ELDERLY, now=at("2023-03-08 10:20"))
    # Only the elderly visitor makes the usual rate; the appointment is read from its booking.
    assert estimate.arrival_rates(town.hall, at("2023-03-09 09:30")) == {
        (town.allowance.pk, True): {10: 1.0}
    }
