"""A hall's lunch break (午休) and Saturday service (周六延时服务), session 28.

大宁路's windows open 09:00–17:00 on working days and close for lunch 11:30–13:30; on an ordinary
Saturday they open 09:00–12:00. A Saturday inside a statutory holiday (劳动节, 2023-04-29) stays
closed; a make-up working Saturday (调休, 2023-05-06) has the weekday hours, lunch included.

2023-03-09 is a Thursday, 2023-03-10 a Friday, 2023-03-11 a Saturday, 2023-03-13 a Monday."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from hotline.hall import actions, estimate, hours
from hotline.hall.actions import slots
from hotline.hall.models import AppointmentSlot, Priority, Source, Ticket
from hotline.hall.rules import InvalidTransition
from tests.conftest import at

pytestmark = pytest.mark.django_db

T = dt.time


@pytest.fixture
def hall(town):
    hall = town.hall
    hall.lunch_starts, hall.lunch_ends = T(11, 30), T(13, 30)
    hall.saturday_opens_at, hall.saturday_closes_at = T(9), T(12)
    hall.full_clean()
    hall.save()
    return hall


# --- the hall's settings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "wrong"),
    [
        ({"lunch_starts": T(11, 30), "lunch_ends": None}, "lunch_ends"),
        ({"lunch_starts": T(13, 30), "lunch_ends": T(11, 30)}, "lunch_ends"),
        ({"lunch_starts": T(8), "lunch_ends": T(9, 30)}, "lunch_starts"),
        ({"lunch_starts": T(16), "lunch_ends": T(17)}, "lunch_starts"),
        ({"saturday_opens_at": None, "saturday_closes_at": T(12)}, "saturday_opens_at"),
        ({"saturday_opens_at": T(12), "saturday_closes_at": T(9)}, "saturday_closes_at"),
    ],
)
def test_hugo_cannot_save_a_lunch_break_or_saturday_that_is_no_range(hall, fields, wrong):
    for name, value in fields.items():
        setattr(hall, name, value)
    with pytest.raises(ValidationError) as refused:
        hall.full_clean()
    assert wrong in refused.value.message_dict


def test_the_days_hours(hall):
    assert hours.day_hours(hall, dt.date(2023, 3, 9)) == [(T(9), T(11, 30)), (T(13, 30), T(17))]
    assert hours.day_hours(hall, dt.date(2023, 3, 11)) == [(T(9), T(12))]  # Saturday
    assert hours.day_hours(hall, dt.date(2023, 3, 12)) == []  # Sunday
    assert hours.day_hours(hall, dt.date(2023, 4, 29)) == []  # Saturday in 劳动节
    assert hours.day_hours(hall, dt.date(2023, 5, 6)) == [(T(9), T(11, 30)), (T(13, 30), T(17))]
    hall.saturday_opens_at = hall.saturday_closes_at = None
    assert hours.day_hours(hall, dt.date(2023, 3, 11)) == []


# --- tickets ------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", [Source.KIOSK, Source.RECEPTION, Source.PORTAL, Source.REMOTE])
def test_a_ticket_at_11_40_is_refused_with_when_tickets_are_given_again(town, hall, source):
    priority = Priority.GREEN if source in (Source.RECEPTION, Source.REMOTE) else Priority.REGULAR
    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        actions.issue(
            hall, town.residence, source=source, priority=priority, actor=town.hugo,
            now=at("2023-03-09 11:40"),
        )  # fmt: skip
    assert refused.value.field == "hours"
    assert refused.value.message == "Lunch break: tickets are given again from 13:30."
    assert not Ticket.objects.exists()


def test_the_lunch_refusal_in_chinese(town, hall):
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as refused:
        actions.issue(hall, town.residence, now=at("2023-03-09 12:15"))
    assert refused.value.message == "午休中，13:30 起恢复取号。"


@pytest.mark.parametrize("when", ["2023-03-09 11:29", "2023-03-09 13:30", "2023-03-11 09:00"])
def test_tickets_are_given_before_and_after_lunch_and_on_saturday_morning(town, hall, when):
    assert actions.issue(hall, town.residence, now=at(when)).number == "A001"


@pytest.mark.parametrize(
    ("when", "opens"),
    [
        ("2023-03-09 12:00", "2023-03-09 13:30"),  # lunch: its end
        ("2023-03-09 08:00", "2023-03-09 09:00"),
        ("2023-03-10 18:00", "2023-03-11 09:00"),  # Friday evening: Saturday morning
        ("2023-03-11 12:00", "2023-03-13 09:00"),  # Saturday noon: Monday
        ("2023-04-28 18:00", "2023-05-04 09:00"),  # 劳动节: the holiday's Saturday stays closed
    ],
)
def test_the_next_opening(hall, when, opens):
    assert hours.next_opening(hall, at(when)) == at(opens)


def test_friday_evening_is_told_saturday_morning(town, hall):
    with pytest.raises(InvalidTransition) as refused:
        actions.issue(hall, town.residence, now=at("2023-03-10 18:00"))
    assert "03-11 09:00" in refused.value.message


def test_a_hall_without_saturday_hours_still_says_monday(town):
    with pytest.raises(InvalidTransition) as refused:
        actions.issue(town.hall, town.residence, now=at("2023-03-10 18:00"))
    assert "03-13 09:00" in refused.value.message


def test_the_days_closing_is_the_afternoons_or_saturdays(hall):
    assert hours.closing_of(hall, dt.date(2023, 3, 9)) == at("2023-03-09 17:00")
    assert hours.closing_of(hall, dt.date(2023, 3, 11)) == at("2023-03-11 12:00")


# --- the pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["board", "kiosk"])
def test_at_lunch_the_pages_say_when_tickets_are_given_again(client, hall, page):
    with time_machine.travel(at("2023-03-09 12:10"), tick=False):
        english = client.get(f"/hall/dnl/{page}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        chinese = client.get(f"/hall/dnl/{page}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert "Lunch break: tickets are given again from 13:30." in english
    assert "午休中，13:30 起恢复取号。" in chinese.decode()


def test_the_board_before_lunch_says_nothing_of_it(client, hall):
    with time_machine.travel(at("2023-03-09 11:00"), tick=False):
        page = client.get("/hall/dnl/board/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="board-closed"' not in page


# --- appointment slots --------------------------------------------------------------------------


@pytest.fixture
def bookable(town):
    town.residence.appointment_allowed = True
    town.residence.save()
    return town.residence


def _times(made, day):
    return [f"{s.starts:%H:%M}" for s in sorted(made, key=lambda s: s.starts) if s.day == day]


def test_hugo_opens_a_week_of_slots_and_none_lies_in_lunch(town, hall, bookable):
    made = slots.add_slots(
        hall, bookable, first_day=dt.date(2023, 3, 13), last_day=dt.date(2023, 3, 18),
        starts=T(9), ends=T(17), minutes=60, capacity=2, actor=town.hugo,
        now=at("2023-03-09 10:00"),
    )  # fmt: skip
    monday = ["09:00", "10:00", "13:30", "14:30", "15:30"]
    assert _times(made.made, dt.date(2023, 3, 13)) == monday
    assert _times(made.made, dt.date(2023, 3, 18)) == ["09:00", "10:00", "11:00"]  # Saturday
    assert not made.refused


def test_a_slot_in_the_lunch_break_is_refused_with_why(town, hall, bookable):
    slot = AppointmentSlot(
        hall=hall, matter=bookable, day=dt.date(2023, 3, 13), starts=T(11), ends=T(12),
        capacity=1,
    )  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        slot.full_clean()
    assert refused.value.message_dict["starts"] == [
        "The windows close for lunch 11:30–13:30; no slot lies in it."
    ]
    slot.day, slot.starts, slot.ends = dt.date(2023, 3, 11), T(11, 30), T(12, 30)
    with pytest.raises(ValidationError) as refused:
        slot.full_clean()  # Saturday closes at 12:00
    assert "ends" in refused.value.message_dict


def test_saturdays_slots_copy_to_an_open_saturday_not_into_the_holiday(town, hall, bookable):
    now = at("2023-03-09 10:00")
    for first in (dt.date(2023, 3, 11), dt.date(2023, 4, 22)):
        slots.add_slots(
            hall, bookable, first_day=first, last_day=first, starts=T(9), ends=T(10),
            minutes=60, capacity=1, actor=town.hugo, now=now,
        )  # fmt: skip
    march = slots.copy_to_next_week(
        AppointmentSlot.objects.filter(day=dt.date(2023, 3, 11)), actor=town.hugo, now=now
    )
    assert [s.day for s in march.made] == [dt.date(2023, 3, 18)]
    april = slots.copy_to_next_week(
        AppointmentSlot.objects.filter(day=dt.date(2023, 4, 22)), actor=town.hugo, now=now
    )
    assert not april.made and [r.day for r in april.refused] == [dt.date(2023, 4, 29)]


def test_the_slot_page_offers_the_week_through_saturday(client, town, hall, bookable):
    client.force_login(town.hugo)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        page = client.get("/hall/dnl/manage/slots/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="2023-03-11"' in page
    assert "No slot lies in the lunch break (11:30–13:30)." in page


# --- the estimate -------------------------------------------------------------------------------


def test_the_estimate_at_11_for_a_ticket_deep_in_the_queue_includes_the_break(town, hall):
    """Wendy alone at window 1 from 10:30; twenty 居住证 tickets (10 minutes each) before
    Zhang's at 11:00: he is called well after lunch, so the two hours are in his range. The first
    ticket, called before 11:30, has no break in its."""
    actions.sign_in(town.w1, town.wendy, now=at("2023-03-09 10:30"))
    first = actions.issue(hall, town.residence, now=at("2023-03-09 10:40"))
    for n in range(19):
        actions.issue(hall, town.residence, now=at("2023-03-09 10:40") + dt.timedelta(seconds=n))
    zhang = actions.issue(hall, town.residence, now=at("2023-03-09 11:00"))
    assert zhang.estimate_low > 150
    now = at("2023-03-09 11:00")
    with_lunch = estimate.for_waiting(hall, zhang, 20, now)
    hall.lunch_starts = hall.lunch_ends = None
    without = estimate.for_waiting(hall, zhang, 20, now)
    assert sum(with_lunch) / 2 - sum(without) / 2 == pytest.approx(120, abs=1)
    first_range = estimate.for_waiting(hall, first, 0, now)
    hall.lunch_starts, hall.lunch_ends = T(11, 30), T(13, 30)
    assert estimate.for_waiting(hall, first, 0, now) == first_range


def test_a_wait_across_the_break_and_one_asked_at_lunch(hall):
    assert hours.across_breaks(hall, at("2023-03-09 11:00"), 20) == 20
    assert hours.across_breaks(hall, at("2023-03-09 11:00"), 40) == 160
    assert hours.across_breaks(hall, at("2023-03-09 12:30"), 10) == 70  # the rest of the break
    assert hours.across_breaks(hall, at("2023-03-09 14:00"), 40) == 40
    assert hours.break_minutes(hall, at("2023-03-09 11:00"), at("2023-03-09 17:00")) == 120


def test_a_slot_opened_before_the_lunch_break_is_no_longer_booked(town, bookable):
    """Hugo opened 12:00–13:00 on Monday before the hall closed for lunch; Zhang cannot book
    it now (his ticket could not be checked in at noon), and 14:00 still books."""
    from hotline.hall.actions import appointments as booking
    from hotline.hall.identity import holder_key
    from hotline.hall.rules import InvalidInput

    now = at("2023-03-09 10:00")
    noon, _one, afternoon = booking.open_slots(
        town.hall, bookable, dt.date(2023, 3, 13), starts=T(12), ends=T(15), minutes=60,
        capacity=1,
    )  # fmt: skip
    town.hall.lunch_starts, town.hall.lunch_ends = T(11, 30), T(13, 30)
    town.hall.save()
    noon.refresh_from_db()
    zhang = holder_key(phone="13912345678")
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        booking.book(noon, holder_key=zhang, now=now)
    assert refused.value.message == "This time is no longer offered. Choose another."
    afternoon.refresh_from_db()
    assert booking.book(afternoon, holder_key=zhang, now=now).slot == afternoon
