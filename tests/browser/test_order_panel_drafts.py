"""Una writes the reply to the citizen, then remembers the photo of the repaired lamp and
attaches it before sending. The attachment form replaces the whole order panel, and the reply
she had typed was gone with it. What is typed in the panel's other forms now comes back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.models import State
from tests.browser.test_order_page import dialog
from tests.orders.factory import order_in

pytestmark = pytest.mark.browser

REPLY = "已更换灯具，路灯恢复照明，详见附件照片。"


def test_attaching_a_file_keeps_the_reply_being_typed(town, open_as, tmp_path):
    d = town.d
    order = order_in(State.ACCEPTED, d)
    photo = tmp_path / "lamp.txt"
    photo.write_text("修复后的路灯")
    una = open_as(d.una)
    una.goto(f"/orders/{order.number}/")
    box = dialog(una, "reply")
    box.locator("input[name=result][value=explained]").check()
    box.locator("textarea[name=text]").fill(REPLY)
    una.locator("form.comment-form textarea").fill("照片由物业提供。")

    una.set_input_files("#id_attach_file", str(photo))
    una.locator("form.attach-form button[type=submit]").click()

    expect(una.locator("ul.attachments")).to_contain_text("lamp.txt")
    box = una.locator("details[data-action=reply]")
    expect(box).to_have_attribute("open", "")
    expect(box.locator("textarea[name=text]")).to_have_value(REPLY)
    expect(box.locator("input[name=result][value=explained]")).to_be_checked()
    expect(una.locator("form.comment-form textarea")).to_have_value("照片由物业提供。")

    # The form that was sent shows the server's answer: the comment box is empty once it is in.
    una.locator("form.comment-form button[type=submit]").click()
    expect(una.locator("#order-panel")).to_contain_text("照片由物业提供。")
    expect(una.locator("form.comment-form textarea")).to_have_value("")
    expect(una.locator("details[data-action=reply] textarea[name=text]")).to_have_value(REPLY)
