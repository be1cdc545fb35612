"""Booking slots in the lunch break of a hall where a window serves through it (午间不打烊),
session 29.

大宁路's windows close for lunch 11:30–13:30; Hugo, the hall manager, sets Walt's window 2
(居住证 only) to serve through lunch. 居住证 may then be booked at lunch; 老年综合津贴, which only
the resting windows 1 and 3 serve, may not (the slot is refused as before, 63d64d6 / 831f48e).

2023-03-13 is a Monday."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from hotline.hall import actions
from hotline.hall.actions import slots
from hotline.hall.models import AppointmentSlot
from tests.conftest import at

pytestmark = pytest.mark.django_db

T = dt.time


@pytest.fixture
def window_2_at_lunch(town):
    town.hall.lunch_starts, town.hall.lunch_ends = T(11, 30), T(13, 30)
    town.hall.save()
    actions.set_serves_lunch(town.w2, town.hugo, True, now=at("2023-03-08 16:00"))
    return town.w2


@pytest.fixture
def bookable(town):
    for matter in (town.residence, town.allowance):
        matter.appointment_allowed = True
        matter.save()


def _times(made):
    return [f"{s.starts:%H:%M}" for s in sorted(made, key=lambda s: s.starts)]


def test_hugo_opens_residence_slots_through_lunch_and_allowance_slots_around_it(
    town, window_2_at_lunch, bookable
):
    monday = dt.date(2023, 3, 13)
    kwargs = {"first_day": monday, "last_day": monday, "starts": T(9), "ends": T(17)}
    residence = slots.add_slots(
        town.hall, town.residence, minutes=60, capacity=2, actor=town.hugo,
        now=at("2023-03-09 10:00"), **kwargs,
    )  # fmt: skip
    allowance = slots.add_slots(
        town.hall, town.allowance, minutes=60, capacity=2, actor=town.hugo,
        now=at("2023-03-09 10:00"), **kwargs,
    )  # fmt: skip
    assert _times(residence.made) == [f"{h:02d}:00" for h in range(9, 17)]
    assert _times(allowance.made) == ["09:00", "10:00", "13:30", "14:30", "15:30"]


def test_a_slot_at_noon_is_refused_for_the_allowance_only(town, window_2_at_lunch, bookable):
    def noon(matter):
        return AppointmentSlot(
            hall=town.hall, matter=matter, day=dt.date(2023, 3, 13), starts=T(12), ends=T(13),
            capacity=1,
        )  # fmt: skip

    noon(town.residence).full_clean()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        noon(town.allowance).full_clean()
    assert refused.value.message_dict["starts"] == [
        "The windows close for lunch 11:30–13:30; no slot lies in it."
    ]
