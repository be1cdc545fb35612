"""An ordinary ticket, then the appointment, at the kiosk in real Chromium.

赵六 booked 居住证 for 09:40, arrived early and took an ordinary ticket at the kiosk with his
mobile number, then noticed the check-in button. Checking in was refused ("您已持有…号票"); now
the appointment's ticket replaces the ordinary one, the printed ticket says which number it
replaces, and the old ticket's "my place" on his phone says it was replaced and by which number
(not a link to the new ticket's page: see the end of the test)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Ticket, TicketState
from tests.browser.conftest import TABLET, screenshot
from tests.browser.test_hall_story import hall, take_ticket  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

PHONE = "13800001111"
MOBILE = {"width": 390, "height": 844}


def test_checking_in_replaces_the_ordinary_ticket(hall, open_as):  # noqa: F811
    friday = timezone.make_aware(dt.datetime(2023, 3, 10, 9, 30))
    with time_machine.travel(friday, tick=True):
        code = hall.hall.code
        (slot,) = booking.open_slots(
            hall.hall, hall.residence, friday.date(),
            starts=dt.time(9, 40), ends=dt.time(10, 10), minutes=30, capacity=2,
        )  # fmt: skip
        appointment = booking.book(slot, holder_key=holder_key(phone=PHONE), holder_name="赵六")

        kiosk = open_as(None, viewport=TABLET)
        kiosk.goto(f"/hall/{code}/kiosk/")
        kiosk.locator("input[name=phone]").fill(PHONE)
        with kiosk.expect_navigation():
            kiosk.locator("button[data-matter=jzz]").click()
        ordinary = Ticket.objects.get()

        kiosk.goto(f"/hall/{code}/kiosk/")
        with kiosk.expect_navigation():
            kiosk.locator("[data-testid=go-check-in]").click()
        # A mistyped code first: the refusal reads across the form, not squeezed beside a box.
        kiosk.locator("input[name=code]").fill("WRONG1")
        with kiosk.expect_navigation():
            kiosk.locator("button[data-action=check_in]").click()
        errors = kiosk.locator("[data-testid=check-in-errors]").bounding_box()
        form = kiosk.locator("[data-testid=check-in-form]").bounding_box()
        assert errors and form and errors["width"] >= 0.95 * form["width"], (errors, form)
        kiosk.locator("input[name=code]").fill(appointment.code.lower())
        with kiosk.expect_navigation():
            kiosk.locator("button[data-action=check_in]").click()
        expect(kiosk.locator("[data-testid=ticket-replaces]")).to_contain_text(ordinary.number)
        screenshot(kiosk, "hall-check-in-replaces")

        phone = open_as(None, viewport=MOBILE)
        phone.goto(f"/hall/place/{ordinary.token}/")
        appointment.refresh_from_db()
        expect(phone.locator("[data-testid=place-ended]")).to_contain_text(
            appointment.ticket.number
        )
        ordinary.refresh_from_db()
        assert ordinary.state == TicketState.ENDED
        # The number, never a link to the new ticket's page: the ordinary ticket may have been
        # taken under his number by someone else, who would then follow — and rate — his visit
        # (attack, session 19). He follows it from the ticket the check-in printed.
        expect(phone.locator("[data-testid=place-replaced-follow]")).to_be_visible()
        expect(phone.locator(f"a[href*='{appointment.ticket.token}']")).to_have_count(0)
        assert appointment.ticket.token not in phone.content()
