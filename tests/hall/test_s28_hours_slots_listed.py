"""Slots opened before 大宁路 set its lunch break (11:30–13:30) are no longer listed (session 28).

Hugo opened Monday 2023-03-13's 10:00–15:00 hour slots for 居住证 before the hall closed for
lunch. Booking 11:00, 12:00 or 13:00 is now refused (63d64d6), so the booking page (the
citizen's, the operator's and the kiosk's, one list) must not offer them; 10:00 and 14:00 stay.
A Saturday slot past the hall's new Saturday closing (12:00) goes the same way."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from hotline.hall.actions import appointments as booking
from tests.conftest import at

pytestmark = pytest.mark.django_db

T = dt.time


@pytest.fixture
def opened_before_lunch(town):
    town.residence.appointment_allowed = True
    town.residence.save()
    booking.open_slots(
        town.hall, town.residence, dt.date(2023, 3, 13), starts=T(10), ends=T(15), minutes=60,
        capacity=2,
    )  # fmt: skip
    town.hall.lunch_starts, town.hall.lunch_ends = T(11, 30), T(13, 30)
    town.hall.save()
    return town


def _times(page: str) -> list[str]:
    return [t for t in ("10:00", "11:00", "12:00", "13:00", "14:00") if f"{t}–" in page]


@time_machine.travel(at("2023-03-09 10:00"), tick=False)
@pytest.mark.parametrize("who", ["citizen", "operator", "kiosk"])
def test_the_booking_page_leaves_out_the_slots_now_in_lunch(
    client, district, opened_before_lunch, who
):
    town = opened_before_lunch
    query = {"matter": town.residence.pk}
    if who == "operator":
        client.force_login(district.olga)
    if who == "kiosk":
        query["kiosk"] = "ticket"
    with translation.override("en"):
        page = client.get("/hall/dnl/book/", query).content.decode()
    assert _times(page) == ["10:00", "14:00"]


@time_machine.travel(at("2023-03-09 10:00"), tick=False)
def test_a_saturday_slot_past_the_new_saturday_closing_is_not_listed(client, town):
    town.residence.appointment_allowed = True
    town.residence.save()
    town.hall.saturday_opens_at, town.hall.saturday_closes_at = T(9), T(13)
    town.hall.save()
    booking.open_slots(
        town.hall, town.residence, dt.date(2023, 3, 11), starts=T(10), ends=T(13), minutes=60,
        capacity=2,
    )  # fmt: skip
    town.hall.saturday_closes_at = T(12)
    town.hall.save()
    page = client.get("/hall/dnl/book/", {"matter": town.residence.pk}).content.decode()
    assert "10:00–" in page and "11:00–" in page and "12:00–" not in page
