"""A citizen on their phone: submits a request with a photo on the portal, tracks it, and — after
the street office has replied and the centre approved the reply — rates it through the link.

The rating is the order's callback (by the citizen, no staff login), and it closes the order.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders import actions
from hotline.orders.models import Action, State, WorkOrder
from tests.browser.conftest import screenshot
from tests.browser.test_story import open_action, panel
from tests.portal.test_portal import PNG

pytestmark = pytest.mark.browser

PHONE = "13764451209"
MOBILE = {"width": 390, "height": 844}


def look_up(page, number: str, phone: str = PHONE) -> None:
    page.goto("/portal/track/")
    form = page.locator("#track-form")
    form.locator("input[name=number]").fill(number)
    form.locator("input[name=phone]").fill(phone)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_a_citizen_submits_tracks_and_rates_on_the_portal(town, open_as):
    d = town.d
    citizen = open_as(None, viewport=MOBILE)
    citizen.goto("/portal/")
    screenshot(citizen, "portal-home")
    with citizen.expect_navigation():
        citizen.locator("[data-testid=go-submit]").click()

    # A first try without the address: the form says what is missing, in place.
    form = citizen.locator("#submit-form")
    form.locator("select[name=category]").select_option(str(town.road.pk))
    form.locator("textarea[name=description]").fill(
        "西康路 300 号门口人行道地砖松动，下雨后积水，老人走路容易滑倒，请尽快修复。"
    )
    form.locator("input[name=phone]").fill("137-6445-1209")
    form.locator("input[name=photo]").set_input_files(
        {"name": "pavement.png", "mimeType": "image/png", "buffer": PNG}
    )
    with citizen.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(citizen.locator("[data-testid=error-address]")).to_be_visible()

    form = citizen.locator("#submit-form")
    form.locator("input[name=address]").fill("静安区西康路 300 号")
    form.locator("input[name=photo]").set_input_files(
        {"name": "pavement.png", "mimeType": "image/png", "buffer": PNG}
    )
    screenshot(citizen, "portal-submit", full_page=True)
    with citizen.expect_navigation():
        form.locator("button[type=submit]").click()
    number = citizen.locator("[data-testid=number]").inner_text().strip()
    screenshot(citizen, "portal-submitted")
    order = WorkOrder.objects.get(number=number)
    assert (order.channel, order.citizen_phone, order.category) == ("web", PHONE, town.road)
    assert [a.name for a in order.attachments.all()] == ["pavement.png"]

    # Tracking: received, and nothing of the request's text or phone echoed back.
    look_up(citizen, number, phone="13700000000")
    expect(citizen.locator("[data-testid=form-errors]")).to_be_visible()
    look_up(citizen, number)
    expect(citizen.locator("[data-testid=status][data-state=received]")).to_be_visible()
    expect(citizen.locator("[data-testid=status]")).not_to_contain_text(PHONE)

    # The centre dispatches it; Una replies from her order page; Dan approves the reply.
    actions.dispatch(order, d.dan, lead_unit=d.street)
    una = open_as(d.una)
    una.goto(f"/orders/{number}/")
    open_action(una, "accept").locator("button[type=submit]").click()
    expect(panel(una, "accepted")).to_be_visible()
    dialog = open_action(una, "first_contact")
    dialog.locator("input[name=way][value=phone]").check()
    dialog.locator("button[type=submit]").click()
    expect(una.locator("ol.events li[data-action=first_contact]")).to_have_count(1)
    dialog = open_action(una, "reply")
    dialog.locator("input[name=result][value=resolved]").check()
    dialog.locator("textarea[name=text]").fill("已安排养护单位重新铺设地砖并疏通排水，现已完工。")
    dialog.locator("button[type=submit]").click()
    expect(panel(una, "replied")).to_be_visible()

    look_up(citizen, number)
    expect(citizen.locator("[data-testid=status][data-state=in_progress]")).to_be_visible()
    expect(citizen.locator("[data-testid=reply]")).to_have_count(0)  # not approved yet
    order.refresh_from_db()
    actions.approve_reply(order, d.dan)

    # The approved reply and the rating link appear; the citizen rates.
    look_up(citizen, number)
    expect(citizen.locator("[data-testid=status][data-state=answered]")).to_be_visible()
    expect(citizen.locator("[data-testid=reply]")).to_contain_text("重新铺设地砖")
    screenshot(citizen, "portal-track", full_page=True)
    with citizen.expect_navigation():
        citizen.locator("[data-testid=rate-link]").click()
    rating = citizen.locator("#rate-form")
    rating.locator("input[name=resolved][value=yes]").check()
    rating.locator("input[name=satisfaction][value=satisfied]").check()
    rating.locator("textarea[name=comment]").fill("修得很快，谢谢！")
    with citizen.expect_navigation():
        rating.locator("button[type=submit]").click()
    expect(citizen.locator("[data-testid=rated]")).to_be_visible()

    order.refresh_from_db()
    assert (order.state, order.callback_resolved, order.satisfaction) == (
        State.CLOSED,
        True,
        "satisfied",
    )
    callback = order.events.get(action=Action.CALLBACK)
    assert callback.actor is None and "修得很快" in callback.reason
    look_up(citizen, number)
    expect(citizen.locator("[data-testid=status][data-state=closed]")).to_be_visible()
    expect(citizen.locator("[data-testid=rate-link]")).to_have_count(0)

    # The statistics page counts it; English is one switch away.
    citizen.goto("/portal/statistics/")
    expect(citizen.locator("[data-testid=statistics]")).to_be_visible()
    with citizen.expect_navigation():
        citizen.locator("select[name=language]").select_option("en")
    expect(citizen.locator("html")).to_have_attribute("lang", "en")
    expect(citizen.locator("h1")).to_have_text("Statistics")
    screenshot(citizen, "portal-statistics", full_page=True)
