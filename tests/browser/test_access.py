"""What each person may see and do, checked in the browser: other units' orders stay hidden,
only the actions allowed now are offered, and a forced request for any other is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.models import State, WorkOrder
from tests.browser.conftest import open_tab, screenshot
from tests.orders.factory import order_in

pytestmark = pytest.mark.browser

# POST one action's form data from the page, as HTMX would (CSRF token from <body hx-headers>).
FORCE_POST = """async ([url, fields]) => {
  const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  const response = await fetch(url, {
    method: "POST", body, headers: {"X-CSRFToken": token, "HX-Request": "true"},
  });
  return response.status;
}"""


def offered_actions(page) -> list[str]:
    return page.locator("details[data-action]").evaluate_all(
        "boxes => boxes.map(box => box.dataset.action)"
    )


def inbox_numbers(page) -> set[str]:
    """Every order number on every tab of the unit inbox."""
    page.goto("/desk/unit/")
    tabs = page.locator("a[data-tab]").evaluate_all("links => links.map(a => a.dataset.tab)")
    assert tabs, "the unit inbox has no tabs"
    numbers: set[str] = set()
    for tab in tabs:
        open_tab(page, tab)
        numbers |= set(
            page.locator("tr[data-number]").evaluate_all("rows => rows.map(r => r.dataset.number)")
        )
    return numbers


def test_a_unit_never_sees_another_units_orders(town, open_as):
    d = town.d
    unas = order_in(State.DISPATCHED, d)
    victors = town.victors_order

    victor = open_as(d.victor)
    assert victors.number in inbox_numbers(victor)
    response = victor.goto(f"/orders/{unas.number}/")
    assert response.status == 404
    content = victor.content()
    # The 404 page shows nothing of the order (its URL may echo in the language switch's "next").
    assert 'data-testid="error-404"' in content
    assert unas.title not in content and unas.citizen_phone not in content
    assert "order-panel" not in content

    una = open_as(d.una)
    seen = inbox_numbers(una)
    assert unas.number in seen
    assert victors.number not in seen
    assert una.goto(f"/orders/{victors.number}/").status == 404


def test_only_allowed_actions_are_offered_and_forcing_one_is_refused(town, open_as):
    d = town.d
    order = order_in(State.DISPATCHED, d)
    url = f"/orders/{order.number}/"

    una = open_as(d.una)
    una.goto(url)
    expect(una.locator("#order-panel[data-state=dispatched]")).to_be_visible()
    offered = offered_actions(una)
    assert {"accept", "return"} <= set(offered)
    assert "reply" not in offered and "dispatch" not in offered
    # The phone is masked for the unit.
    expect(una.locator("[data-testid=phone]")).to_have_text("*******5678")

    accept_url = una.locator("details[data-action=accept] form").get_attribute("action")
    assert accept_url.endswith("/act/accept")
    reply_url = accept_url.removesuffix("accept") + "reply"
    fields = {"version": str(order.version), "result": "resolved", "text": "已处理完毕。"}
    assert una.evaluate(FORCE_POST, [reply_url, fields]) == 409
    una.reload()
    expect(una.locator("#order-panel[data-state=dispatched]")).to_be_visible()
    assert una.locator("ol.events li[data-action=reply]").count() == 0

    leo = open_as(d.leo)
    leo.goto(url)
    expect(leo.locator("#order-panel[data-state=dispatched]")).to_be_visible()
    expect(leo.locator("[data-testid=no-actions]")).to_be_visible()
    assert offered_actions(leo) == []
    assert leo.evaluate(FORCE_POST, [accept_url, {"version": str(order.version)}]) == 403

    refreshed = WorkOrder.objects.get(pk=order.pk)
    assert (refreshed.state, refreshed.version) == (State.DISPATCHED, order.version)
    assert refreshed.events.count() == 2  # register, dispatch


def test_supervision_desk_shows_overdue_and_supervised_orders(town, open_as):
    d = town.d
    late = WorkOrder.objects.get(title="小区门口路灯长期不亮")
    sam = open_as(d.sam)
    sam.goto("/desk/supervision/")
    for tab in ("supervised", "overdue"):
        open_tab(sam, tab)
        expect(sam.locator(f"tr[data-number='{late.number}']")).to_be_visible()
    assert sam.locator("tr[data-number]").count() >= 2  # Victor's unit has one overdue too
    screenshot(sam, "supervision-desk")
    with sam.expect_navigation():
        sam.locator(f"tr[data-number='{late.number}'] a[href*='/orders/']").click()
    expect(sam.locator("#order-panel[data-state=accepted]")).to_be_visible()
    expect(sam.locator("details[data-action=urge]")).to_be_visible()
