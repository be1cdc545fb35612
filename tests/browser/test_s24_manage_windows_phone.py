"""The manager's windows table on a phone (walk-through, session 23, L5): at 390 px the window's
kind gives way, and the four columns a manager watches (window, current ticket, state, clerk) fit
the screen without scrolling sideways; on a desktop the kind is there. zh-Hans and English.

Hugo (manager) of the hall: Wendy calls A001 at window 1; Walt's window 2 is paused (午休)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall import actions
from hotline.hall.models import WindowState
from tests.browser.test_intake_and_language import switch_language
from tests.hall.conftest import make_hall, opening_hours

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def hall(transactional_db, district, live_server):
    town = make_hall(district)
    with opening_hours():
        actions.issue(town.hall, town.residence)
        actions.sign_in(town.w1, town.wendy)
        actions.call_next(town.w1, town.wendy)
        actions.sign_in(town.w2, town.walt)
        actions.set_state(town.w2, town.walt, WindowState.PAUSED, reason="午休")
    return town


def _table_fits(page) -> None:
    box = page.locator(".manage-windows").locator("xpath=..")
    overflow = box.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 0, f"the windows table scrolls {overflow} px sideways"
    current = page.locator("[data-window='1'] td").nth(1)
    expect(current).to_contain_text("A001")
    right = current.evaluate("el => el.getBoundingClientRect().right")
    assert right <= PHONE["width"]


def test_the_windows_table_fits_a_phone(hall, open_as):
    hugo = open_as(hall.hugo, viewport=PHONE)
    hugo.goto(f"/hall/{hall.hall.code}/manage/")
    _table_fits(hugo)
    expect(hugo.locator(".manage-windows th").nth(4)).to_be_hidden()
    switch_language(hugo, "en")
    _table_fits(hugo)
    expect(hugo.locator("[data-window='2']")).to_contain_text("Paused (午休)")


def test_a_desktop_shows_the_window_kind(hall, open_as):
    hugo = open_as(hall.hugo)
    hugo.goto(f"/hall/{hall.hall.code}/manage/")
    expect(hugo.locator(".manage-windows th").nth(4)).to_be_visible()
    expect(hugo.locator(".manage-windows th").nth(4)).to_have_text("窗口类型")
