"""Olga, a 12345 operator, has a caller who wants a 居住证 appointment at 大宁路 (leftover of
session 24, L11): the hall has no free time in its coming days, and the page said only when it
would have one there. It now names the other halls with a free time for the matter, each with its
first one, and takes her there with the caller's number (posted, never in the address): 江宁路
has one on Tuesday; 临汾路's only time is full, and 彭浦's is past the days it lets book."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

CALLER = "13900001111"
MONDAY = at("2023-03-06 08:00")


def _open(town, day: str, starts: int, *, capacity: int = 2) -> None:
    booking.open_slots(
        town.hall, town.residence, dt.date.fromisoformat(day),
        starts=dt.time(starts), ends=dt.time(starts, 30), minutes=30, capacity=capacity,
    )  # fmt: skip


def _elsewhere(client: Client, town, **post: str) -> str:
    url = f"/hall/{town.hall.code}/book/"
    with translation.override("zh-hans"):
        if post:
            answer = client.post(url, {"matter": town.residence.pk, **post})
        else:
            answer = client.get(url, {"matter": town.residence.pk})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert 'data-testid="no-free-times"' in page  # 大宁路 has none
    found = re.search(
        r'<ul class="booking-elsewhere" data-testid="free-elsewhere">.*?</ul>', page, re.S
    )
    return found.group(0) if found else ""


@pytest.fixture
def halls(district, town):
    jnl, llr, pp = (make_hall(district, code) for code in ("jnl", "llr", "pp"))
    _open(jnl, "2023-03-07", 14)  # Tuesday 14:00, free
    _open(jnl, "2023-03-08", 9)  # a later one: only the first is named
    _open(llr, "2023-03-07", 9, capacity=1)
    booking.book(
        llr.hall.slots.get(), holder_key=holder_key(phone="13800000000"), now=MONDAY
    )  # full
    _open(pp, "2023-03-20", 9)  # past its 7 days ahead


@time_machine.travel(MONDAY, tick=False)
def test_the_operator_is_offered_the_other_halls_free_time_with_the_callers_number(
    client, district, town, halls
):
    client.force_login(district.olga)
    offered = _elsewhere(client, town, caller_phone=CALLER)
    assert "jnl服务中心：03-07 星期二 14:00起" in offered
    assert "03-08" not in offered and "llr" not in offered and "pp服务中心" not in offered
    form = re.search(r"<form[^>]*>.*?</form>", offered, re.S)
    assert form is not None and 'action="/hall/jnl/book/"' in form.group(0)
    assert f'name="caller_phone" value="{CALLER}"' in form.group(0)
    assert f'name="matter" value="{town.residence.pk}"' in form.group(0)
    assert CALLER not in re.sub(r'value="[^"]*"', "", offered)  # in no link
    # Following it: 江宁路's times, the number filled in, nothing booked yet.
    there = client.post("/hall/jnl/book/", {"matter": town.residence.pk, "caller_phone": CALLER})
    page = there.content.decode()
    assert 'data-testid="book-form"' in page
    assert re.search(rf'<input type="tel" name="phone" value="{CALLER}"', page)
    assert Appointment.objects.count() == 1  # 临汾路's


@time_machine.travel(MONDAY, tick=False)
def test_a_citizen_is_linked_to_the_other_halls_free_time(client, town, halls):
    offered = _elsewhere(client, town)
    assert re.search(rf'<a href="/hall/jnl/book/\?matter={town.residence.pk}">jnl服务中心', offered)


@time_machine.travel(MONDAY, tick=False)
def test_no_other_hall_is_named_when_none_has_a_free_time(client, district, town):
    make_hall(district, "jnl")
    assert _elsewhere(client, town) == ""
