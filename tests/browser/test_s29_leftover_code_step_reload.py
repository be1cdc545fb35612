"""Mia asks for a booking code on her phone, then reloads the code step and goes Back and Forward
(session 28, h6 item 5).

The "send me a code" POST was answered with the code step itself: a reload asked Chromium to
post her number again ("confirm form resubmission"). It now redirects to the page's code step
(``?step=code``), which a reload or Back and Forward shows again without a POST and without a
second text; the code typed there books."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from hotline.hall.actions import appointments as booking
from hotline.hall.models import Appointment
from tests.browser.test_hall_story import MOBILE, hall  # noqa: F401
from tests.hall.booking_by_code import Outbox

pytestmark = pytest.mark.browser

MIA = "13912345678"


@override_settings(NOTIFIERS=["tests.hall.booking_by_code.Outbox"])
def test_mia_reloads_the_code_step_and_goes_back_and_forward_then_books(hall, open_as):  # noqa: F811
    # Thursday 2023-03-09 from 10:00: the hall fixture's opening hours (the live server too).
    booking.open_slots(
        hall.hall,
        hall.residence,
        dt.date(2023, 3, 10),
        starts=dt.time(9),
        ends=dt.time(9, 30),
        minutes=30,
        capacity=2,
    )
    Outbox.sent.clear()
    mia = open_as(None, viewport=MOBILE)
    mia.goto(f"/hall/{hall.hall.code}/book/?matter={hall.residence.pk}")
    mia.locator("input[name=slot]").first.check()
    mia.locator("input[name=phone]").fill(MIA)
    mia.locator("input[name=name]").fill("米娅")
    with mia.expect_navigation():
        mia.locator("button[data-action=book]").click()
    expect(mia.locator("[data-testid=code-sent]")).to_contain_text("*******5678")
    assert mia.url.endswith("step=code") and MIA not in mia.url
    assert len(Outbox.sent) == 1

    posts: list[str] = []
    mia.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    reloaded = mia.reload()
    assert reloaded is not None and reloaded.status == 200
    expect(mia.locator("[data-testid=code-sent]")).to_contain_text("*******5678")
    mia.go_back()
    mia.go_forward()
    expect(mia.locator("[data-testid=code-sent]")).to_contain_text("*******5678")
    assert posts == [] and len(Outbox.sent) == 1
    if shots := os.environ.get("H8_SHOTS"):
        mia.screenshot(path=f"{shots}/code-step-zh.png")

    code = re.search(r"(?<!\d)(\d{6})(?!\d)", Outbox.sent[0].text).group(1)
    mia.locator("[data-testid=booking-sms-code]").fill(code)
    with mia.expect_navigation():
        mia.locator("button[data-action=confirm-code]").click()
    booked = mia.locator("[data-testid=booking-code]").inner_text()
    assert Appointment.objects.get().code == booked
