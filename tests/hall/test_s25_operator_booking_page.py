"""Olga, a 12345 operator, books a hall appointment for a caller (walk-through, session 24):
- L6: five days of half-hours were one flat list of 78 choices with no day heading; now the times
  come by day, then morning and afternoon;
- L11: a matter with no free time still showed the phone, name and 'Book' of a booking that
  could not be made; now the page says so, and names the next free time when there is one (it
  can be booked once it comes within the hall's days ahead), and the matter list marks the
  matters with no free time;
- the number she typed at the intake was not carried to the booking page: she typed it again.
  It comes posted from the caller history (never in the address, cc2ee2c) and fills the form,
  also after she picks the matter."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hotline.hall.actions import appointments as booking
from hotline.hall.models import Appointment
from tests.conftest import at

pytestmark = pytest.mark.django_db

CALLER = "13900001111"


def _open(town, matter, day: str, starts: int, ends: int) -> None:
    booking.open_slots(
        town.hall, matter, dt.date.fromisoformat(day),
        starts=dt.time(starts), ends=dt.time(ends), minutes=30, capacity=2,
    )  # fmt: skip


def _page(client: Client, town, matter, **post: str) -> str:
    url = f"/hall/{town.hall.code}/book/"
    with translation.override("zh-hans"):
        if post:
            answer = client.post(url, {"matter": matter.pk, **post})
        else:
            answer = client.get(url, {"matter": matter.pk})
    assert answer.status_code == 200
    return answer.content.decode()


@time_machine.travel(at("2023-03-06 08:00"), tick=False)
def test_the_times_come_by_day_then_morning_and_afternoon(client, district, town):
    for day in ("2023-03-06", "2023-03-07"):
        _open(town, town.residence, day, 9, 10)
        _open(town, town.residence, day, 14, 15)
    client.force_login(district.olga)
    page = _page(client, town, town.residence)
    days = page.split('data-testid="slot-day"')[1:]
    assert len(days) == 2
    monday = days[0]
    assert "03-06" in monday and "03-07" not in monday
    assert monday.index("上午") < monday.index("09:00–09:30") < monday.index("下午")
    assert monday.index("下午") < monday.index("14:30–15:00")
    assert page.count('type="radio" name="slot"') == 8


@time_machine.travel(at("2023-03-06 08:00"), tick=False)
def test_a_matter_with_no_free_time_says_so_and_names_the_next(client, district, town):
    _open(town, town.residence, "2023-03-16", 9, 10)  # past the 7 days that can be booked now
    client.force_login(district.olga)
    page = _page(client, town, town.residence)
    assert 'data-testid="book-form"' not in page and 'name="phone"' not in page
    assert "居住证办理近几天没有可预约的时段" in page
    assert re.search(r'data-testid="next-free">最近的可约时段为03-16 \S+ 09:00，可于03-09', page)
    nothing = _page(client, town, town.allowance)
    assert 'data-testid="book-form"' not in nothing and 'data-testid="next-free-none"' in nothing
    assert "老年综合津贴申请（暂无可约时段）" in nothing


@time_machine.travel(at("2023-03-06 08:00"), tick=False)
def test_the_number_typed_at_the_intake_fills_the_booking_form(client, district, town):
    _open(town, town.residence, "2023-03-07", 9, 10)
    client.force_login(district.olga)
    history = client.post(reverse("caller_history"), {"citizen_phone": CALLER}).content.decode()
    form = re.search(r'<form[^>]*data-testid="book-for-caller-form".*?</form>', history, re.S)
    assert form is not None and f'action="/hall/{town.hall.code}/book/"' in form.group(0)
    assert f'name="caller_phone" value="{CALLER}"' in form.group(0)
    assert CALLER not in re.sub(r'value="[^"]*"', "", history)  # in no link
    opened = client.post(f"/hall/{town.hall.code}/book/", {"caller_phone": CALLER})
    assert opened.status_code == 200 and f'name="caller_phone" value="{CALLER}"' in (
        opened.content.decode()
    )
    chosen = _page(client, town, town.residence, caller_phone=CALLER)
    assert re.search(rf'<input type="tel" name="phone" value="{CALLER}"', chosen)
    assert not Appointment.objects.exists()  # filling the form books nothing


@time_machine.travel(at("2023-03-06 08:00"), tick=False)
def test_only_an_operator_gets_the_number_filled(client, town):
    _open(town, town.residence, "2023-03-07", 9, 10)
    answer = client.post(
        f"/hall/{town.hall.code}/book/", {"matter": town.residence.pk, "caller_phone": CALLER}
    )
    assert f'value="{CALLER}"' not in answer.content.decode()
