"""Hugo reads Friday's appointments on his phone (390×844) before the hall opens: each booking is
a readable row (time, code, matter, state, its history), the table scrolling sideways inside its
box as the order tables do. Before, the table was squeezed into the screen: the matter and the
history stood a character a line, and a day of twenty bookings was over 7,000 px tall."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from tests.hall.conftest import make_hall, opening_hours

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def town(transactional_db, district, live_server):
    town = make_hall(district)
    with opening_hours():
        (slot,) = booking.open_slots(
            town.hall, town.residence, dt.date(2023, 3, 10),
            starts=dt.time(9), ends=dt.time(9, 30), minutes=30, capacity=3,
        )  # fmt: skip
        booking.book(slot, holder_key=holder_key(phone="13800001111"), holder_name="赵六")
        gone = booking.book(slot, holder_key=holder_key(phone="13800002222"), holder_name="钱七")
        booking.cancel(gone, actor=town.hugo, reason="市民来电改约下周")
        yield town


def test_a_days_appointments_read_as_rows_on_a_phone(town, open_as):
    hugo = open_as(town.hugo, viewport=PHONE)
    hugo.goto("/hall/dnl/appointments/?day=2023-03-10")
    hugo.wait_for_load_state()
    assert hugo.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    rows = hugo.locator("[data-testid=appointments] tbody tr")
    for i in range(rows.count()):
        row = rows.nth(i).bounding_box()
        matter = rows.nth(i).locator("td").nth(2).bounding_box()
        assert row is not None and matter is not None
        assert matter["width"] >= 5 * 16, f"the matter column is {matter['width']} px wide"
        assert row["height"] <= 120, f"a booking's row is {row['height']} px tall"
