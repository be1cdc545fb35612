"""Mr Qian rates his answered request on a 390 px phone: every choice (是 / 否, 满意 / 基本满意 /
不满意) is a row a finger can press, at least 44 px tall, its circle at least 20 px (walk-through,
session 30, h6: 13 px circles on ~27 px lines), and pressing the row's words chooses it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.portal.tokens import rating_token
from tests.browser.conftest import screenshot
from tests.orders.factory import new_order
from tests.portal.test_portal import replied_and_approved

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

CHOICES = """[...document.querySelectorAll('#rate-form fieldset label')].map(l => {
  const radio = l.querySelector('input[type=radio]') || document.getElementById(l.htmlFor);
  return {text: l.textContent.trim(), height: l.getBoundingClientRect().height,
          radio: radio.getBoundingClientRect().width};
})"""


def test_mr_qians_rating_choices_are_finger_sized(town, open_as):
    order = new_order(town.d, citizen_name="钱先生", citizen_phone="13524107788")
    replied_and_approved(order, town.d)
    qian = open_as(None, viewport=PHONE)
    qian.goto(f"/portal/rate/{rating_token(order)}/")

    choices = qian.evaluate(CHOICES)
    assert len(choices) == 5
    assert [c["text"] for c in choices if c["height"] < 44] == []
    assert [c["text"] for c in choices if c["radio"] < 20] == []
    assert qian.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(qian, "s30-rating-choices-phone", full_page=True)

    qian.locator("#rate-form fieldset label", has_text="不满意").click()
    expect(qian.locator("#rate-form input[name=satisfaction][value=dissatisfied]")).to_be_checked()
