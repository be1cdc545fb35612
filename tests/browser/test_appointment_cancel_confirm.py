"""Cancelling a citizen's booking for them, in real Chromium: hall staff and the 12345 operator
are asked first, and the operator's caller history shows the booking cancelled without a reload.

Two citizens booked Friday 09:00 at 大宁路 (赵六 and 孙七, one mobile each). Walt (clerk) opens
the day's list, clicks cancel, thinks better of it (Keep it), then cancels 赵六's for real. Olga
(王丽, operator) takes 孙七's call, types the mobile; the caller history shows the booking; she
clicks cancel, the question replaces the line; Keep it; then cancels, and the line shows it
cancelled at once while the intake form keeps what she typed. Then the same in English."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment, AppointmentState
from tests.browser.conftest import screenshot
from tests.browser.test_intake_and_language import switch_language
from tests.hall.conftest import make_hall, opening_hours

pytestmark = pytest.mark.browser

ZHAO = "13800001111"
SUN = "13912345678"


@pytest.fixture
def booked(transactional_db, district, live_server):
    town = make_hall(district)
    with opening_hours():  # Thursday 2023-03-09 10:00: Friday's slot is ahead
        (slot,) = booking.open_slots(
            town.hall, town.residence, dt.date(2023, 3, 10),
            starts=dt.time(9), ends=dt.time(9, 30), minutes=30, capacity=3,
        )  # fmt: skip
        zhao = booking.book(slot, holder_key=holder_key(phone=ZHAO), holder_name="赵六")
        sun = booking.book(slot, holder_key=holder_key(phone=SUN), holder_name="孙七")
        yield town, zhao, sun


def _state(appointment: Appointment) -> str:
    appointment.refresh_from_db()
    return appointment.state


def test_walt_is_asked_before_he_cancels_for_the_citizen(booked, open_as):
    town, zhao, _sun = booked
    walt = open_as(town.walt)
    walt.goto("/hall/dnl/appointments/?day=2023-03-10")
    row = walt.locator(f"tr[data-code='{zhao.code}']")
    with walt.expect_navigation():
        row.locator("[data-testid=staff-cancel]").click()
    expect(walt.locator("[data-testid=cancel-confirm]")).to_contain_text("赵六")
    screenshot(walt, "hall-staff-cancel-confirm")
    with walt.expect_navigation():
        walt.locator("[data-action=keep]").click()
    assert _state(zhao) == AppointmentState.BOOKED
    expect(row).to_have_attribute("data-state", "booked")
    with walt.expect_navigation():
        row.locator("[data-testid=staff-cancel]").click()
    walt.locator("textarea[name=reason]").fill("窗口停开，已电话告知")
    with walt.expect_navigation():
        walt.locator("button[data-action=confirm-cancel]").click()
    expect(walt.locator(f"tr[data-code='{zhao.code}'] [data-testid=cancel-reason]")).to_have_text(
        "窗口停开，已电话告知"
    )
    expect(walt.locator(f"tr[data-code='{zhao.code}']")).to_have_attribute(
        "data-state", "cancelled"
    )
    assert _state(zhao) == AppointmentState.CANCELLED


def test_olga_confirms_in_the_caller_history_and_sees_it_cancelled_at_once(booked, open_as):
    town, zhao, sun = booked
    olga = open_as(town.district.olga)
    olga.goto("/intake/")
    olga.locator("#intake-form input[name=citizen_phone]").fill("139 1234 5678")
    olga.locator("#intake-form input[name=title]").fill("预约取消")
    visits = olga.locator("[data-testid=hall-visits]")
    expect(visits).to_contain_text("居住证办理")
    visits.locator("[data-testid=cancel-for-caller] button").click()
    question = olga.locator("[data-testid=cancel-for-caller-confirm]")
    expect(question).to_contain_text(sun.code)
    screenshot(olga, "intake-cancel-confirm")
    question.locator("[data-action=keep]").click()
    expect(question).to_have_count(0)
    assert _state(sun) == AppointmentState.BOOKED
    visits.locator("[data-testid=cancel-for-caller] button").click()
    # Without a reason the browser keeps the question open and cancels nothing.
    question.locator("button[data-action=confirm-cancel]").click()
    expect(question).to_have_count(1)
    assert _state(sun) == AppointmentState.BOOKED
    question.locator("input[name=reason]").fill("来电改期")
    question.locator("button[data-action=confirm-cancel]").click()
    expect(olga.locator("[data-testid=cancel-done]")).to_contain_text(sun.code)
    expect(visits.locator("[data-testid=cancel-reason]")).to_have_text("来电改期")
    # The line reads cancelled with no button left, and nothing typed in the form was lost.
    expect(olga.locator("[data-testid=cancel-for-caller]")).to_have_count(0)
    expect(olga.locator("#intake-form input[name=title]")).to_have_value("预约取消")
    assert _state(sun) == AppointmentState.CANCELLED
    assert _state(zhao) == AppointmentState.BOOKED
    screenshot(olga, "intake-cancel-done")

    # The same in English, for 赵六's booking.
    switch_language(olga, "en")
    olga.locator("#intake-form input[name=citizen_phone]").fill("138 0000 1111")
    olga.locator("[data-testid=hall-visits] [data-testid=cancel-for-caller] button").click()
    expect(olga.locator("[data-testid=cancel-for-caller-confirm]")).to_contain_text(
        "Cancel this appointment for the caller?"
    )
    olga.locator("[data-testid=cancel-for-caller-confirm] input[name=reason]").fill("moved")
    olga.locator("button[data-action=confirm-cancel]").click()
    expect(olga.locator("[data-testid=cancel-done]")).to_contain_text(f"Appointment {zhao.code} at")
    assert _state(zhao) == AppointmentState.CANCELLED
