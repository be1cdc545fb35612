"""The case page (办件) on a 390 px phone: a case waiting for corrected materials, its receipt
table of selects and inputs, its timeline with a ticket and a long note, and the citizen's order
table. Nothing is wider than the screen; the wide tables scroll inside their own box."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.cases import actions
from tests.browser.conftest import screenshot
from tests.cases.conftest import make_case_town, serve
from tests.conftest import at
from tests.hall.conftest import opening_hours

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def ct(transactional_db, district, live_server):
    with opening_hours():
        yield make_case_town(district)


def test_the_case_page_fits_a_phone(ct, open_as):
    _ticket, case = serve(ct, ct.residence, at("2023-03-09 10:00"))
    actions.request_correction(case.submission, ct.town.wendy, note="请" + "带齐材料" * 30)
    wendy = open_as(ct.town.wendy, PHONE)
    wendy.goto(f"/cases/{case.number}/")
    expect(wendy.locator("[data-testid=receipt-form]")).to_be_visible()
    width = wendy.evaluate("document.documentElement.scrollWidth")
    screenshot(wendy, "case-phone", full_page=True)
    assert width <= PHONE["width"], f"the case page is {width} px wide on a 390 px phone"
    # The timeline's time and note stay readable: the note is not one character a line.
    note = wendy.locator("[data-testid=timeline] tr").last.locator("td").last
    assert note.evaluate("e => e.clientWidth") >= 150
    # The actions stay on the screen.
    for button in wendy.locator("main button").all():
        if button.is_visible():
            box = button.bounding_box()
            assert box is not None and box["x"] + box["width"] <= PHONE["width"]
