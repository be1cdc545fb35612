"""Hugo (manager) reads his live board in English on a 1366 laptop: the windows table, half of
the board, shows every window's kind whole. A remote window's kind, "Remote (neighbourhood
point)", ran past the table's right edge, cut by its scroll box (walk-through, session 28, h8
F10): the headings and the kind now wrap rather than leave the box."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall.models import Window, WindowKind
from tests.browser.test_intake_and_language import switch_language
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.browser


def test_the_windows_table_fits_half_the_board_in_english(transactional_db, district, open_as):
    town = make_hall(district)
    Window.objects.create(hall=town.hall, number=8, kind=WindowKind.REMOTE)
    hugo = open_as(town.hugo)
    hugo.goto(f"/hall/{town.hall.code}/manage/")
    switch_language(hugo, "en")
    expect(hugo.locator("[data-window='8']")).to_contain_text("Remote")
    box = hugo.locator(".manage-windows").locator("xpath=..")
    overflow = box.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 0, f"the windows table scrolls {overflow} px sideways"
