"""Olga takes a call at the intake, types the caller's number, and books a hall appointment for
them from the caller history: the booking page opens in a new tab with the number filled in,
kept when she picks the matter, and no address on the way carries it (cc2ee2c); the times come
by day, morning and afternoon (walk-through, session 24, L6 and the intake's number)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from hotline.hall.actions import appointments as booking
from tests.browser.test_hall_story import hall  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

CALLER = "13900001111"


def test_the_number_typed_at_the_intake_fills_the_booking_page(hall, open_as):  # noqa: F811
    booking.open_slots(
        hall.hall, hall.residence, dt.date(2023, 3, 10),
        starts=dt.time(9), ends=dt.time(15), minutes=60, capacity=2,
    )  # fmt: skip
    olga = open_as(hall.district.olga)
    addresses: list[str] = []
    olga.context.on("request", lambda request: addresses.append(request.url))
    olga.goto("/intake/")
    olga.locator("input[name=citizen_phone]").fill(CALLER)
    offer = olga.locator("[data-testid=book-for-caller-form] button").first
    expect(offer).to_be_visible()
    with olga.context.expect_page() as opened:
        offer.click()
    page = opened.value
    page.wait_for_load_state()
    with page.expect_navigation():
        page.locator("select[name=matter]").select_option(str(hall.residence.pk))
    expect(page.locator("input[name=phone]")).to_have_value(CALLER)
    days = page.locator("[data-testid=slot-day]")
    expect(days).to_have_count(1)
    expect(days.first).to_contain_text("上午")
    expect(days.first).to_contain_text("下午")
    assert not [url for url in addresses if CALLER in url]
