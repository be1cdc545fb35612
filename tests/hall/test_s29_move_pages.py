"""Moving a booking (改约) from the pages, each POST answered with a redirect (PRG): 张三 on his
booking's page with the code and the number he booked with; Hugo (hall manager) from the day's
list, the citizen texted; Olga (12345 operator) for 张三 on the line. 张三 booked Friday
2023-03-10 09:00 (居住证, one place) on Thursday at 15:00 with 13912345678; it is Thursday
16:00 and Monday 09:00 is free."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import TestCase, override_settings
from django.urls import reverse

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment, AppointmentAction
from tests.conftest import at
from tests.hall.booking_by_code import OUTBOX, Outbox
from tests.hall.conftest import BOOKING_PHONE, open_slot

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2023, 3, 13)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def zhangsan(town):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        return booking.book(
            open_slot(town, dt.date(2023, 3, 10)),
            holder_key=holder_key(phone=BOOKING_PHONE),
            holder_name="张三",
            phone=BOOKING_PHONE,
        )


@pytest.fixture
def monday(town):
    return open_slot(town, MONDAY)


def slot_of(appointment):
    return Appointment.objects.get(pk=appointment.pk).slot


def test_zhangsan_moves_his_booking_from_its_page(client, town, zhangsan, monday, four_pm):
    page = client.get(reverse("hall:booked", args=[town.hall.code, zhangsan.code]), **EN)
    assert b'data-testid="move-booking"' in page.content
    url = reverse("hall:move_booking", args=[town.hall.code])
    found = client.post(url, {"booking": zhangsan.code.lower(), "phone": BOOKING_PHONE}, **EN)
    assert found.status_code == 200
    assert f'value="{monday.pk}"'.encode() in found.content
    assert f'value="{zhangsan.slot_id}"'.encode() not in found.content  # not its own time
    data = {"booking": zhangsan.code, "phone": BOOKING_PHONE, "slot": str(monday.pk)}
    moved = client.post(url, data, **EN)
    assert moved.status_code == 302 and moved["Location"].endswith("?moved=1")
    assert slot_of(zhangsan) == monday
    shown = client.get(moved["Location"], **EN).content.decode()
    assert "Appointment moved" in shown
    assert "From 03-10 09:00 to 03-13 09:00" in shown and zhangsan.code in shown


def test_a_wrong_number_finds_nothing_and_moves_nothing(client, town, zhangsan, monday, four_pm):
    url = reverse("hall:move_booking", args=[town.hall.code])
    data = {"booking": zhangsan.code, "phone": "13987654321", "slot": str(monday.pk)}
    refused = client.post(url, data, **EN)
    assert refused.status_code == 422 and b"No such booking" in refused.content
    assert slot_of(zhangsan) != monday


def test_hugo_moves_it_from_the_days_list_and_zhangsan_is_texted(
    client, town, zhangsan, monday, four_pm
):
    client.force_login(town.hugo)
    day_list = reverse("hall:appointments", args=[town.hall.code]) + "?day=2023-03-10"
    assert b'data-testid="staff-move"' in client.get(day_list, **EN).content
    url = reverse("hall:move_appointment", args=[town.hall.code, zhangsan.code])
    page = client.get(url, **EN)
    assert b"The citizen is texted" in page.content
    Outbox.sent.clear()
    data = {"confirm": "1", "slot": str(monday.pk), "reason": "窗口检修"}
    with override_settings(NOTIFIERS=OUTBOX), TestCase.captureOnCommitCallbacks(execute=True):
        moved = client.post(url, data, **EN)
    assert moved.status_code == 302 and moved["Location"].endswith("?day=2023-03-13")
    assert [m.action for m in Outbox.sent] == ["hall_appointment_moved"]
    listed = client.get(moved["Location"], **EN).content.decode()
    assert f"Appointment {zhangsan.code} moved from 03-10 09:00 to 03-13 09:00." in listed
    assert "The citizen is texted." in listed
    assert "03-10 09:00 → 03-13 09:00" in listed  # the history line


def test_hugo_is_told_when_there_is_no_number_to_text(client, town, appointment, four_pm):
    client.force_login(town.hugo)
    url = reverse("hall:cancel_appointment", args=[town.hall.code, appointment.code])
    assert b"the citizen is not texted" in client.get(url, **EN).content
    done = client.post(url, {"confirm": "1", "reason": "窗口检修"}, follow=True, **EN)
    assert b"No number is kept for this booking" in done.content


def test_olga_moves_it_for_zhangsan_on_the_line(client, town, zhangsan, monday, four_pm):
    olga = town.district.olga
    client.force_login(olga)
    url = reverse("hall:move_for_caller", args=[zhangsan.code])
    asked = client.post(url, {"caller_phone": BOOKING_PHONE}, **EN)
    assert asked.status_code == 200 and f'value="{monday.pk}"'.encode() in asked.content
    data = {"caller_phone": BOOKING_PHONE, "confirm": "1", "slot": str(monday.pk), "reason": "来电"}
    moved = client.post(url, data, **EN)
    assert moved.status_code == 302 and moved["Location"].endswith("?moved=1")
    event = zhangsan.events.get(action=AppointmentAction.MOVE)
    assert (event.actor, event.channel, event.to_slot) == (olga, "operator", monday)


def test_olga_cannot_move_a_booking_of_another_number(client, town, zhangsan, monday, four_pm):
    client.force_login(town.district.olga)
    url = reverse("hall:move_for_caller", args=[zhangsan.code])
    data = {"caller_phone": "13987654321", "confirm": "1", "slot": str(monday.pk), "reason": "x"}
    refused = client.post(url, data, **EN)
    assert b"not made with the caller" in refused.content
    assert b'data-action="confirm-move"' not in refused.content
    assert slot_of(zhangsan) != monday
