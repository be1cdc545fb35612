"""The 24-hour self-service area in real Chromium under the production CSP.

In the evening, with the windows of 大宁路街道社区事务受理服务中心 shut, a citizen at the kiosk by
the east door (and another on a phone) sees only what needs no clerk: the matters the kiosk
completes itself, booking an appointment, tracking or rating a 12345 request, material lists.
Printing a 医保缴费凭证 is recorded by matter; Hugo's live board counts it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from hotline import clock
from hotline.hall.models import Kiosk, SelfServiceKind, SelfServiceUse
from hotline.matters.models import Material, Matter
from tests.browser.conftest import TABLET, screenshot
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.browser

MOBILE = {"width": 390, "height": 844}


@pytest.fixture
def area(transactional_db, district, live_server):
    town = make_hall(district)
    town.hugo.first_name = "胡刚"
    town.hugo.save(update_fields=["first_name"])
    # Whatever the hour the suite runs at, the windows are shut now: their hours lie elsewhere.
    hour = clock.local_now().hour
    town.hall.opens_at, town.hall.closes_at = (
        (dt.time(13), dt.time(14)) if hour < 12 else (dt.time(6), dt.time(7))
    )
    town.hall.save()
    printout = Matter.objects.create(
        code="yb-dy", name="医保缴费凭证打印", queue_group="C", visits=0
    )
    Material.objects.create(matter=printout, name="社会保障卡或居民身份证", note="在终端上刷卡")
    kiosk = Kiosk.objects.create(
        hall=town.hall, code="dnl-zz1", name="自助终端1号", place="24小时自助区（大宁路东门）"
    )
    kiosk.matters.set([printout, town.allowance])
    return town, kiosk, printout


@pytest.mark.parametrize("viewport", [TABLET, MOBILE], ids=["kiosk", "phone"])
def test_after_hours_the_kiosk_offers_what_needs_no_clerk(area, open_as, viewport):
    town, kiosk, printout = area
    page = open_as(None, viewport=viewport)
    url = f"/hall/{town.hall.code}/self-service/{kiosk.code}/"
    page.goto(url)
    expect(page.locator("[data-testid=hall-closed]")).to_be_visible()
    choices = page.locator("[data-testid=self-service-choices]")
    for choice in ("book", "track", "materials"):
        expect(choices.locator(f"[data-choice={choice}]")).to_be_visible()
    expect(page.locator("[data-choice=ticket]")).to_have_count(0)
    suffix = "kiosk" if viewport == TABLET else "phone"
    screenshot(page, f"hall-self-service-{suffix}", full_page=True)

    with page.expect_navigation():
        page.locator(
            f"[data-testid=self-service-matters] button[data-matter={printout.code}]"
        ).click()
    expect(page.locator("[data-testid=self-service-done]")).to_contain_text(printout.name)
    use = SelfServiceUse.objects.get()
    assert (use.matter, use.kind, use.hall_open) == (printout, SelfServiceKind.DONE, False)

    # Reading a material list needs no clerk either; the lookup is recorded too.
    with page.expect_navigation():
        page.locator("[data-choice=materials]").click()
    with page.expect_navigation():
        page.locator(f"[data-testid=material-matters] button[data-matter={printout.code}]").click()
    expect(page.locator("[data-testid=material-list]")).to_contain_text("社会保障卡或居民身份证")
    screenshot(page, f"hall-self-service-materials-{suffix}", full_page=True)
    assert SelfServiceUse.objects.filter(kind=SelfServiceKind.MATERIALS).count() == 1
    # The way back is a button a finger finds on the touch screen, as on the check-in page.
    back = page.locator("[data-testid=back]").bounding_box()
    assert back is not None and back["height"] >= 44 and back["width"] >= 44, back

    # Tracking a 12345 request is the portal's own page.
    page.goto(url)
    with page.expect_navigation():
        page.locator("[data-choice=track]").click()
    expect(page.locator("input[name=number]")).to_be_visible()

    if viewport == TABLET:
        hugo = open_as(town.hugo)
        hugo.goto(f"/hall/{town.hall.code}/manage/")
        expect(hugo.locator("[data-testid=self-service-today]")).to_contain_text(
            f"{printout.name} 1"
        )


def test_after_hours_the_ticket_kiosk_gives_no_ticket_and_offers_the_same(area, open_as):
    """The ticket kiosk by the door, the same evening: no ticket buttons, the windows' next
    opening, and the self-service kiosk's offer; its material lists are the hall's."""
    town, _kiosk, _printout = area
    page = open_as(None, viewport=TABLET)
    page.goto(f"/hall/{town.hall.code}/kiosk/")
    expect(page.locator("[data-testid=hall-closed]")).to_be_visible()
    expect(page.locator("[data-testid=kiosk-form]")).to_have_count(0)
    expect(page.locator("[data-testid=go-check-in]")).to_have_count(0)
    choices = page.locator("[data-testid=self-service-choices]")
    for choice in ("track", "materials"):
        expect(choices.locator(f"[data-choice={choice}]")).to_be_visible()
    screenshot(page, "hall-kiosk-closed", full_page=True)

    with page.expect_navigation():
        choices.locator("[data-choice=materials]").click()
    with page.expect_navigation():
        page.locator("[data-testid=material-matters] button[data-matter=jzz]").click()
    expect(page.locator("[data-testid=material-list]")).to_contain_text("居民身份证")
    with page.expect_navigation():
        page.locator("[data-testid=back]").click()
    expect(page.locator("[data-testid=hall-closed]")).to_be_visible()
    assert not SelfServiceUse.objects.exists()  # the ticket kiosk is no self-service machine
    assert not town.hall.tickets.exists()


def test_the_check_in_opened_from_the_kiosk_goes_back_to_it(area, open_as):
    """The self-service kiosk's check-in page has no browser Back: its own Back and, left
    untouched for a minute, the page itself return to the kiosk it was opened from (before, the
    machine stayed on the check-in page, or went on to the ticket kiosk's page for the day)."""
    town, kiosk, _printout = area
    home = f"/hall/{town.hall.code}/self-service/{kiosk.code}/"
    check_in = f"/hall/{town.hall.code}/kiosk/check-in/?kiosk={kiosk.code}"
    page = open_as(None, viewport=TABLET)
    page.goto(check_in)
    page.locator("[data-testid=check-in-back]").click()
    page.wait_for_url(f"**{home}")
    page.clock.install()
    page.goto(check_in)
    page.clock.run_for(61_000)  # the kiosk's idle minute, nothing typed
    page.wait_for_url(f"**{home}")
    expect(page.locator(".kiosk-place")).to_contain_text("自助终端1号")


def test_the_closed_ticket_kiosk_opened_from_the_kiosk_goes_back_to_it(area, open_as):
    """The ticket kiosk opened from the self-service kiosk with the windows shut (a page left
    from the afternoon) says they are closed and offers what needs no clerk; left untouched for
    the kiosk's idle minute it returns to the self-service kiosk (before, it stayed there for the
    next citizen: the closed page had no form to carry the idle return)."""
    town, kiosk, _printout = area
    home = f"/hall/{town.hall.code}/self-service/{kiosk.code}/"
    page = open_as(None, viewport=TABLET)
    page.clock.install()
    page.goto(f"/hall/{town.hall.code}/kiosk/?kiosk={kiosk.code}")
    expect(page.locator("[data-testid=hall-closed]")).to_be_visible()
    page.clock.run_for(30_000)
    assert "/kiosk/?kiosk=" in page.url  # not before the idle minute
    page.clock.run_for(31_000)
    page.wait_for_url(f"**{home}")
    expect(page.locator(".kiosk-place")).to_contain_text("自助终端1号")
