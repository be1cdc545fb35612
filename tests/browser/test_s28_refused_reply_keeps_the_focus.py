"""Nina pastes her reply twice on her phone (10,400 characters, over the 5,000 a reply may have):
the refusal says so in the reply box and keeps the text, and the focus is on that text, to cut
it. Before (h5, session 28) the focus fell to the page's body, the top of the page for her
keyboard or her screen reader. A comment sent empty puts the focus back in the comment box."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.models import State
from tests.browser.test_order_page import dialog
from tests.orders.factory import order_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FOCUSED = "() => [document.activeElement.tagName, document.activeElement.name || '']"


def test_a_refused_reply_leaves_the_focus_on_the_text_to_put_right(town, open_as):
    d = town.d
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    nina = open_as(d.nina, viewport=PHONE)
    nina.goto(f"/orders/{order.number}/")
    box = dialog(nina, "reply")
    text = "已联系路灯管理所，更换灯泡并检查线路，今晚恢复照明。" * 400
    box.locator("textarea[name=text]").fill(text)
    box.locator("button.primary").click()
    box = nina.locator("details[data-action=reply]")
    expect(box.locator(".errorlist")).to_contain_text("5000")
    expect(box.locator("textarea[name=text]")).to_have_value(text)
    expect(box.locator("textarea[name=text]")).to_be_focused()
    assert nina.evaluate(FOCUSED) == ["TEXTAREA", "text"]

    comment = nina.locator("form.comment-form")
    comment.locator("textarea").fill("   ")
    comment.locator("button[type=submit]").click()
    expect(nina.locator("form.comment-form .errorlist")).to_be_visible()
    expect(nina.locator("form.comment-form textarea")).to_be_focused()
