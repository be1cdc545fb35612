"""The kiosk's ticket page on the hall's portrait touch screen (1080×1920), in real Chromium.

张三 takes a ticket; its 80 mm page prints and stays on the screen. "重新打印" and "返回" were
10pt text a finger could hardly hit, and nothing took the kiosk back to its buttons: the next
citizen found 张三's ticket there. Now both are buttons a finger finds, and the kiosk is back on
its own after a while (the page is replaced: Back does not bring the ticket again)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_hall_story import hall, take_ticket  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

KIOSK = {"width": 1080, "height": 1920}


def test_the_kiosk_ticket_has_buttons_a_finger_finds_and_goes_back_by_itself(
    hall,  # noqa: F811
    open_as,
):
    code = hall.hall.code
    kiosk = open_as(None, viewport=KIOSK)
    kiosk.clock.install()
    assert take_ticket(kiosk, code, "jzz", name="张三") == "A001"
    screenshot(kiosk, "hall-kiosk-ticket")
    for control in (kiosk.locator("[data-print]"), kiosk.locator("[data-testid=ticket-back]")):
        box = control.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44, box
    kiosk.emulate_media(media="print")  # on the paper: neither button
    expect(kiosk.locator("[data-print]")).to_be_hidden()
    kiosk.emulate_media(media="screen")
    kiosk.clock.run_for(10_000)
    expect(kiosk.locator("[data-testid=ticket-number]")).to_be_visible()  # still there to read
    with kiosk.expect_navigation():
        kiosk.clock.run_for(11_000)
    assert kiosk.url.endswith(f"/hall/{code}/kiosk/")
    expect(kiosk.locator("button[data-matter=jzz]")).to_be_visible()
