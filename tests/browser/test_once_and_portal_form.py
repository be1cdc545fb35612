"""Back and send again registers once, at intake and on the portal; the portal's photo limit is
stated, checked in the browser before any upload, and a refused photo keeps what was typed;
tracking takes the number without its dash and the phone as people write it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.models import WorkOrder
from tests.browser.conftest import screenshot
from tests.portal.test_portal import PNG

pytestmark = pytest.mark.browser

MOBILE = {"width": 390, "height": 844}
DESCRIPTION = "武定路 1000 号门口的下水道井盖缺失，晚上路过很危险，请尽快补上。"


def _fill_portal_form(page, town) -> None:
    form = page.locator("#submit-form")
    form.locator("select[name=category]").select_option(str(town.road.pk))
    form.locator("textarea[name=description]").fill(DESCRIPTION)
    form.locator("input[name=address]").fill("静安区武定路 1000 号")
    form.locator("input[name=phone]").fill("+86 137 0000 4321")


def test_a_citizen_going_back_and_sending_again_gets_the_same_number(town, open_as):
    citizen = open_as(None, viewport=MOBILE)
    citizen.goto("/portal/submit/")
    _fill_portal_form(citizen, town)
    with citizen.expect_navigation():
        citizen.locator("#submit-form button[type=submit]").click()
    first = citizen.locator("[data-testid=number]").inner_text().strip()

    citizen.go_back()
    expect(citizen.locator("#submit-form textarea[name=description]")).to_have_value(DESCRIPTION)
    with citizen.expect_navigation():
        citizen.locator("#submit-form button[type=submit]").click()
    assert citizen.locator("[data-testid=number]").inner_text().strip() == first
    assert WorkOrder.objects.filter(description=DESCRIPTION).count() == 1

    # Tracking with the number as read out (no dash) and the phone as written on the form.
    citizen.goto("/portal/track/")
    form = citizen.locator("#track-form")
    form.locator("input[name=number]").fill(first.replace("-", ""))
    form.locator("input[name=phone]").fill("+86 137 0000 4321")
    with citizen.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(citizen.locator("[data-testid=status]")).to_be_visible()
    screenshot(citizen, "portal-track", full_page=True)


def test_the_browser_refuses_a_photo_over_the_limit_before_uploading(town, open_as, settings):
    citizen = open_as(None, viewport=MOBILE)
    citizen.goto("/portal/submit/")
    expect(citizen.locator(".field", has=citizen.locator("input[name=photo]"))).to_contain_text(
        "最大 5 MB"
    )
    _fill_portal_form(citizen, town)
    big = PNG + b"\0" * (settings.PORTAL_PHOTO_MB * 1024 * 1024)
    photo = citizen.locator("input[name=photo]")
    photo.set_input_files({"name": "big.png", "mimeType": "image/png", "buffer": big})
    expect(citizen.locator("[data-testid=photo-size]")).to_contain_text("照片太大")
    assert photo.evaluate("input => input.files.length") == 0  # nothing big goes up

    # A photo that fits is taken; the message goes.
    photo.set_input_files({"name": "well.png", "mimeType": "image/png", "buffer": PNG})
    expect(citizen.locator("[data-testid=photo-size]")).to_be_empty()
    with citizen.expect_navigation():
        citizen.locator("#submit-form button[type=submit]").click()
    number = citizen.locator("[data-testid=number]").inner_text().strip()
    assert [a.name for a in WorkOrder.objects.get(number=number).attachments.all()] == ["well.png"]


def test_olga_going_back_and_registering_again_gets_the_first_order(town, open_as):
    olga = open_as(town.d.olga)
    olga.goto("/intake/")
    form = olga.locator("#intake-form")
    form.locator("input[name=citizen_phone]").fill("13900003333")
    form.locator("input[name=title]").fill("井盖缺失")
    form.locator("textarea[name=description]").fill(DESCRIPTION)
    form.locator("select[name=category]").select_option(str(town.road.pk))
    with olga.expect_navigation():
        form.locator("button[type=submit]").first.click()
    first_url = olga.url

    olga.go_back()
    with olga.expect_navigation():
        olga.locator("#intake-form button[type=submit]").first.click()
    assert olga.url == first_url
    assert WorkOrder.objects.filter(description=DESCRIPTION).count() == 1
    expect(olga.locator("body")).to_contain_text("此表单已提交过")
