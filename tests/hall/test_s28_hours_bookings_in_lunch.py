"""Bookings made before 大宁路 closed for lunch (11:30–13:30) cannot be checked in (no ticket is
given at lunch): Hugo, the hall manager, is told on the appointments list and cancels them for
the citizens through the usual cancel (session 28, h9 item 2, h3's leftover).

Zhang booked Monday 2023-03-13 12:00–13:00 and Li 14:00–15:00 on Thursday 03-09; the hall set
its lunch break afterwards. Hugo looks on Thursday 03-09 at 16:00."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentState
from tests.conftest import at

pytestmark = pytest.mark.django_db

T = dt.time


@pytest.fixture
def booked_before_lunch(town):
    town.residence.appointment_allowed = True
    town.residence.save()
    noon, _one, afternoon = booking.open_slots(
        town.hall, town.residence, dt.date(2023, 3, 13), starts=T(12), ends=T(15), minutes=60,
        capacity=2,
    )  # fmt: skip
    now = at("2023-03-09 10:00")
    zhang = booking.book(
        noon, holder_key=holder_key(phone="13912345678"), holder_name="张三", now=now
    )
    li = booking.book(
        afternoon, holder_key=holder_key(phone="13987654321"), holder_name="李四", now=now
    )
    town.hall.lunch_starts, town.hall.lunch_ends = T(11, 30), T(13, 30)
    town.hall.save()
    return zhang, li


def _list(client, town, language: str) -> str:
    url = reverse("hall:appointments", args=[town.hall.code])
    with translation.override(language):
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@time_machine.travel(at("2023-03-09 16:00"), tick=False)
def test_hugo_is_told_of_the_booking_in_lunch_and_cancels_it(client, town, booked_before_lunch):
    zhang, li = booked_before_lunch
    client.force_login(town.hugo)
    page = _list(client, town, "zh-hans")
    assert "1 个预约落在午休或非开放时段" in page
    notice = page.split('data-testid="appointments-outside-hours"')[1].split("</div>")[0]
    assert zhang.code in notice and li.code not in notice
    assert "03-13 12:00–13:00" in notice
    english = _list(client, town, "en")
    assert "1 appointment falls in the lunch break or outside the opening hours" in english

    cancel = reverse("hall:cancel_appointment", args=[town.hall.code, zhang.code])
    assert cancel in notice
    done = client.post(cancel, {"confirm": "1", "reason": "大厅午休，已电话告知改约"})
    assert done.status_code == 302
    zhang.refresh_from_db()
    assert zhang.state == AppointmentState.CANCELLED
    assert 'data-testid="appointments-outside-hours"' not in _list(client, town, "zh-hans")


@time_machine.travel(at("2023-03-09 16:00"), tick=False)
def test_no_notice_when_every_booking_lies_within_the_hours(client, town, booked_before_lunch):
    town.hall.lunch_starts = town.hall.lunch_ends = None
    town.hall.save()
    client.force_login(town.hugo)
    assert 'data-testid="appointments-outside-hours"' not in _list(client, town, "zh-hans")
