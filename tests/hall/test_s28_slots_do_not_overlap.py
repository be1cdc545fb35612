"""宋雅琴 copies last week's slots onto this week, whose slots are of another length: a copied
09:30–10:00 would sit across this week's 09:00–10:00 and offer the same half hour twice, the
day's capacity added. Walk-through, session 28 (h8 F4): copying the week of 11-30 onto the week
of 12-07 made 202 slots beside 161 kept, and each day's capacity went from 21 to 201.

A time across one already open is refused with the open time named; the same start is kept as
before, and a closed time does not stand in the way.
"""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.hall.actions import appointments as booking
from hotline.hall.actions import slots
from hotline.hall.models import AppointmentSlot
from tests.conftest import at

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2023, 3, 6)


def test_a_copied_half_hour_across_an_hour_open_there_is_refused(town):
    last_week = booking.open_slots(
        town.hall, town.residence, MONDAY,
        starts=dt.time(9), ends=dt.time(10), minutes=30, capacity=20,
    )  # fmt: skip
    AppointmentSlot.objects.create(
        hall=town.hall, matter=town.residence, day=MONDAY + dt.timedelta(days=7),
        starts=dt.time(9), ends=dt.time(10), capacity=3,
    )  # fmt: skip
    result = slots.copy_to_next_week(last_week, actor=None, now=at("2023-03-08 10:00"))
    following = AppointmentSlot.objects.filter(day=MONDAY + dt.timedelta(days=7))
    assert [(s.starts, s.ends, s.capacity) for s in following] == [(dt.time(9), dt.time(10), 3)]
    assert result.kept == 1  # 09:00 starts at the same time: kept as it is
    assert [r.reason for r in result.refused] == ["与已开放的09:00–10:00时段重叠。"]


def test_a_range_opened_across_open_times_makes_only_the_free_ones(town):
    booking.open_slots(
        town.hall, town.residence, MONDAY,
        starts=dt.time(10), ends=dt.time(11), minutes=60, capacity=3,
    )  # fmt: skip
    result = slots.add_slots(
        town.hall, town.residence, first_day=MONDAY, last_day=MONDAY,
        starts=dt.time(9), ends=dt.time(12), minutes=45, capacity=5,
        actor=None, now=at("2023-03-06 08:00"),
    )  # fmt: skip
    assert [(s.starts, s.ends) for s in result.made] == [
        (dt.time(9), dt.time(9, 45)),
        (dt.time(11, 15), dt.time(12)),
    ]
    assert [r.starts for r in result.refused] == [dt.time(9, 45), dt.time(10, 30)]


def test_a_closed_time_does_not_stand_in_the_way(town):
    (hour,) = booking.open_slots(
        town.hall, town.residence, MONDAY,
        starts=dt.time(9), ends=dt.time(10), minutes=60, capacity=3,
    )  # fmt: skip
    slots.close(hour, actor=None, now=at("2023-03-01 10:00"))
    result = slots.add_slots(
        town.hall, town.residence, first_day=MONDAY, last_day=MONDAY,
        starts=dt.time(9, 30), ends=dt.time(10), minutes=30, capacity=5,
        actor=None, now=at("2023-03-01 10:00"),
    )  # fmt: skip
    assert [(s.starts, s.ends) for s in result.made] == [(dt.time(9, 30), dt.time(10))]
