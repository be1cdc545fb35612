"""Issue 13 in a real browser: Una sees a landline masked by the new rule on the order page and is
never offered more than half its digits; Olga's intake form offers no Open311 channel; Leo's
order page offers no note or attachment; a control character in a search is a clean 400."""

from __future__ import annotations

from playwright.sync_api import expect

from hotline.orders import actions
from tests.browser.conftest import screenshot
from tests.orders.factory import new_order


def test_una_sees_a_landline_masked_and_leo_is_offered_nothing_to_write(town, open_as):
    d = town.d
    order = new_order(d, citizen_phone="62345678", title="楼道灯坏了")
    actions.dispatch(order, d.dan, lead_unit=d.street)

    una = open_as(d.una)
    una.goto(f"/orders/{order.number}/")
    expect(una.locator("[data-testid=phone]")).to_have_text("****5678")
    expect(una.locator("form.comment-form")).to_be_visible()
    expect(una.locator("form.attach-form")).to_be_visible()
    screenshot(una, "h2-order-landline-masked")

    leo = open_as(d.leo)
    leo.goto(f"/orders/{order.number}/")
    expect(leo.locator("#order-panel")).to_be_visible()
    assert leo.locator("form.comment-form").count() == 0
    assert leo.locator("form.attach-form").count() == 0
    screenshot(leo, "h2-order-leader-read-only")


def test_olga_has_no_open311_channel_and_a_nul_in_a_search_is_a_400(town, open_as):
    olga = open_as(town.d.olga)
    olga.goto("/intake/")
    channels = olga.locator("select[name=channel] option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert "phone" in channels and "open311" not in channels
    screenshot(olga, "h2-intake-channels")
    assert olga.request.get("/orders/?q=%00").status == 400
