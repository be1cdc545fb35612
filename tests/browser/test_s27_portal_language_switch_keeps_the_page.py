"""The portal's language switch comes back to the same page, query and all, and a portal page
opened at a hall's self-service kiosk stays the kiosk's (walk-through, session 27, h7 F2/F6).

The switch used to post the bare path: the "request registered" page (its number is in ``?t=``)
came back as the empty tracking form, and the kiosk's tracking page (``?kiosk=``, which gives it
its way back and its return when left alone) as an ordinary portal page; the portal's top links
left the kiosk the same way, on a device with no address bar."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall.models import Kiosk
from tests.browser.conftest import TABLET
from tests.browser.test_once_and_portal_form import MOBILE, _fill_portal_form
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.browser


def test_a_citizen_switching_to_english_after_sending_still_sees_the_number(town, open_as):
    citizen = open_as(None, viewport=MOBILE)
    citizen.goto("/portal/submit/")
    _fill_portal_form(citizen, town)
    with citizen.expect_navigation():
        citizen.locator("#submit-form button[type=submit]").click()
    number = citizen.locator("[data-testid=number]").inner_text().strip()

    with citizen.expect_navigation():
        citizen.locator("select[name=language]").select_option("en")
    expect(citizen.locator("html")).to_have_attribute("lang", "en")
    expect(citizen.locator("[data-testid=number]")).to_have_text(number)


def test_the_kiosk_tracking_page_stays_the_kiosks_in_english(
    transactional_db, district, live_server, open_as
):
    town = make_hall(district)
    kiosk = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    kiosk.matters.set([town.allowance])
    home = f"/hall/{town.hall.code}/self-service/{kiosk.code}/"
    page = open_as(None, viewport=TABLET)
    page.goto(home)
    with page.expect_navigation():
        page.locator("[data-choice=track]").click()
    expect(page.locator("[data-testid=kiosk-home]")).to_have_attribute("href", home)
    # The portal's own pages are no kiosk's: none is offered here.
    expect(page.locator("header nav a")).to_have_count(0)
    expect(page.locator("header a.brand")).to_have_attribute("href", home)

    with page.expect_navigation():
        page.locator("select[name=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-testid=kiosk-home]")).to_have_attribute("href", home)
    expect(page.locator("body")).to_have_attribute("data-idle-home", home)


def test_the_portal_keeps_its_links_outside_a_kiosk(town, open_as):
    citizen = open_as(None, viewport=MOBILE)
    citizen.goto("/portal/track/")
    expect(citizen.locator("header nav a")).to_have_count(4)
    expect(citizen.locator("[data-testid=kiosk-home]")).to_have_count(0)
