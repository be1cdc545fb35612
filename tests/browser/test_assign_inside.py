"""二级派单 in a real browser: Una's street assigns an order to Nina's 居委会 from the order page,
Nina finds it in her inbox and replies; she hands another one back up to the street."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.actions import hand_back
from hotline.orders.models import Action, State, WorkOrder
from hotline.org.models import Unit, UnitKind
from tests.browser.conftest import screenshot
from tests.browser.test_order_page import dialog, panel, pick
from tests.orders.factory import order_in

pytestmark = pytest.mark.browser


def test_the_street_assigns_to_a_neighbourhood_which_replies(town, open_as):
    d = town.d
    Unit.objects.create(
        code="jnl-02", name="海防村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=d.street
    )
    order = order_in(State.DISPATCHED, d)
    una = open_as(d.una)
    una.goto(f"/orders/{order.number}/")
    box = dialog(una, "assign_inside")
    # The picker holds only the street's own sub-units.
    options = box.locator("select[name=unit] option")
    expect(options).to_have_count(3)  # the blank and two 居委会
    pick(box, "unit", "shhy", d.neighbourhood.name)
    box.locator("textarea[name=note]").fill("请三和花园居委会上门查看。")
    screenshot(una, "assign-inside-dialog", full_page=True)
    box.locator("button.primary").click()
    expect(una.locator("[data-testid=assigned-unit]")).to_have_text(d.neighbourhood.name)
    expect(una.locator("li[data-action=assign_inside]")).to_contain_text("三和花园居委会")

    nina = open_as(d.nina)
    nina.goto("/desk/unit/")
    row = nina.locator(f"tr[data-number='{order.number}']")
    # Nina's row says where the order came from, not her own unit (session 27).
    expect(row).to_contain_text("由 江宁路街道 交办")
    screenshot(nina, "assign-inside-nina-inbox")
    with nina.expect_navigation():  # the order's page, loaded, before its dialogs are used
        row.locator("a").first.click()
    expect(panel(nina, "dispatched")).to_be_visible()
    expect(nina.locator("details[data-action=return]")).to_have_count(0)
    dialog(nina, "accept").locator("button.primary").click()
    expect(panel(nina, "accepted")).to_be_visible()
    reply = dialog(nina, "reply")
    reply.locator("textarea[name=text]").fill("已联系物业更换灯泡，路灯恢复照明。")
    reply.locator("button.primary").click()
    expect(panel(nina, "replied")).to_be_visible()
    screenshot(nina, "assign-inside-replied", full_page=True)
    assert WorkOrder.objects.get(pk=order.pk).events.last().actor == d.nina


def test_the_neighbourhood_hands_one_back_up(town, open_as):
    d = town.d
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    nina = open_as(d.nina)
    nina.goto(f"/orders/{order.number}/")
    box = dialog(nina, "hand_back")
    box.locator("textarea[name=reason]").fill("   ")  # blanks pass the browser, not the server
    box.locator("button.primary").click()
    expect(box.locator(".errorlist, [role=alert]").first).to_be_visible()
    box = dialog(nina, "hand_back")
    box.locator("textarea[name=reason]").fill("该路段不在本居委会辖区。")
    box.locator("button.primary").click()
    nina.wait_for_url(lambda url: "/desk/unit/" in url)  # it left her: her inbox says so
    expect(nina.locator(".messages")).to_contain_text(
        f"退回上级：已完成。工单 {order.number} 现由江宁路街道办理。"
    )
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.assigned_unit is None and fresh.events.last().action == Action.HAND_BACK

    una = open_as(d.una)
    una.goto(f"/orders/{order.number}/")
    event = una.locator("li[data-action=hand_back]")
    expect(event).to_contain_text("从 三和花园居委会 到 江宁路街道")
    expect(event).to_contain_text("该路段不在本居委会辖区。")
    screenshot(una, "assign-inside-handed-back", full_page=True)


PHONE = {"width": 390, "height": 844}


def test_a_long_unbroken_hand_back_reason_wraps_on_the_street_s_phone(town, open_as):
    # A pasted link (or a run of characters with no break) as the reason widened the whole
    # order page to the reason's length: the timeline's reason did not wrap.
    d = town.d
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    link = "https://zwdt.sh.gov.cn/" + "x" * 600
    hand_back(order, d.nina, reason=f"辖区不符，见{link}")
    una = open_as(d.una, PHONE)
    una.goto(f"/orders/{order.number}/")
    expect(una.locator("li[data-action=hand_back]")).to_contain_text(link)
    assert una.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
