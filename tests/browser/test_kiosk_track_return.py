"""A citizen tracks a 12345 request at the self-service kiosk and walks away: the kiosk goes back
to its own page by itself, so the next citizen does not find the request, its answer or the
typed phone number on the screen (real Chromium, the production CSP)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall.models import Kiosk
from tests.browser.conftest import TABLET
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.browser


def test_the_portal_page_opened_at_the_kiosk_goes_back_to_it(
    transactional_db, district, live_server, open_as
):
    town = make_hall(district)
    kiosk = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    kiosk.matters.set([town.allowance])
    home = f"/hall/{town.hall.code}/self-service/{kiosk.code}/"
    page = open_as(None, viewport=TABLET)
    page.clock.install()
    page.goto(home)
    with page.expect_navigation():
        page.locator("[data-choice=track]").click()
    page.fill("input[name=number]", "20230309-000001")
    page.fill("input[name=phone]", "13800001111")
    with page.expect_navigation():
        page.locator("#track-form button[type=submit]").click()
    expect(page.locator("[data-testid=form-errors]")).to_be_visible()
    expect(page.locator("[data-testid=kiosk-home]")).to_have_attribute("href", home)
    page.clock.fast_forward(30_000)
    expect(page.locator("input[name=phone]")).to_have_value("13800001111")  # still in use
    with page.expect_navigation():
        page.clock.fast_forward(31_000)
    expect(page).to_have_url(f"{live_server.url}{home}")
