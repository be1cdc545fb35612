"""Hugo enrols the machine by the east door as kiosk dnl-zz1, in real Chromium: signed in on it,
"Enrol this browser" on his live board, signed out. The browser keeps the kiosk's cookie
(HttpOnly: the page's script cannot read it), his page said which kiosk this browser is, and the
kiosk's page works after he signed out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall.models import Kiosk, KioskEvent
from tests.browser.conftest import TABLET
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.browser


def test_the_manager_enrols_the_kiosk_and_signs_out(transactional_db, district, open_as):
    town = make_hall(district)
    kiosk = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    page = open_as(town.hugo, viewport=TABLET)
    page.goto("/hall/dnl/manage/")
    row = page.locator("[data-testid=kiosk-dnl-zz1]")
    expect(row.locator("[data-testid=kiosk-state]")).to_have_text("未登记")
    with page.expect_navigation():
        row.locator("[data-testid=enrol]").click()
    expect(row.locator("[data-testid=this-browser]")).to_be_visible()
    expect(row.locator("[data-testid=kiosk-state]")).to_contain_text("hugo-dnl")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "hotline_kiosk"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert "hotline_kiosk" not in page.evaluate("document.cookie")
    with page.expect_navigation():
        page.locator("form[action$='/logout/'] button").click()
    page.goto("/hall/dnl/self-service/dnl-zz1/")
    expect(page.locator("h1")).to_contain_text("24小时自助服务")
    assert [c["name"] for c in page.context.cookies() if c["name"] == "hotline_kiosk"]
    assert KioskEvent.objects.filter(kiosk=kiosk, actor=town.hugo).count() == 1
