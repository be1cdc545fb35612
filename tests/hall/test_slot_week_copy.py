"""Ada opens next week's appointment slots from this week's in the admin: she selects the week's
slots and copies them seven days on, with their times and capacities. Slots already there are
kept as they are, and a slot that could not be kept (the day is not a working day, the matter no
longer takes appointments) is left out and counted. Before, each of a week's slots was typed
again by hand."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from hotline.hall.actions import appointments as booking
from hotline.hall.models import AppointmentSlot
from hotline.org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(client, db):
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    return client


def _week(town) -> list[AppointmentSlot]:
    made = []
    for day in range(6, 11):  # Monday 2023-03-06 to Friday 03-10
        made += booking.open_slots(
            town.hall, town.residence, dt.date(2023, 3, day),
            starts=dt.time(9), ends=dt.time(10), minutes=30, capacity=3,
        )  # fmt: skip
    return made


def test_a_weeks_slots_are_copied_to_the_next_week(ada, town):
    week = _week(town)
    # Monday's 09:00 of the next week is there already, with its own capacity: kept.
    AppointmentSlot.objects.create(
        hall=town.hall, matter=town.residence, day=dt.date(2023, 3, 13),
        starts=dt.time(9), ends=dt.time(9, 30), capacity=1,
    )  # fmt: skip
    response = ada.post(
        reverse("admin:hall_appointmentslot_changelist"),
        {"action": "copy_to_next_week", "_selected_action": [s.pk for s in week]},
        follow=True,
    )
    assert response.status_code == 200
    following = AppointmentSlot.objects.filter(day__range=("2023-03-13", "2023-03-17"))
    assert following.count() == 10
    assert following.get(day="2023-03-13", starts="09:00").capacity == 1
    assert following.get(day="2023-03-17", starts="09:30").capacity == 3
    text = " ".join(str(m) for m in response.context["messages"])
    assert re.findall(r"\d+", text) == ["9", "1", "0"]  # copied, kept, left out


def test_a_slot_that_could_not_be_kept_is_left_out_and_counted(ada, town):
    week = _week(town)
    town.residence.appointment_allowed = False
    town.residence.save()
    response = ada.post(
        reverse("admin:hall_appointmentslot_changelist"),
        {"action": "copy_to_next_week", "_selected_action": [week[0].pk]},
        follow=True,
    )
    assert not AppointmentSlot.objects.filter(day="2023-03-13").exists()
    text = " ".join(str(m) for m in response.context["messages"])
    assert "不接受预约" in text or "takes no appointments" in text
