"""A refused action on a phone: the panel came back with the error where the page had been
scrolled to — past the dialog — so the press seemed to do nothing. The refused dialog is
scrolled to the top of the screen with its error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.models import Action, State
from tests.browser.conftest import screenshot
from tests.browser.test_order_page import dialog
from tests.orders.factory import order_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_refused_hand_back_shows_its_error_on_the_phone(town, open_as):
    d = town.d
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    nina = open_as(d.nina, PHONE)
    nina.goto(f"/orders/{order.number}/")
    box = dialog(nina, "hand_back")
    box.locator("textarea[name=reason]").fill("不属本居委会辖区，" + "情况说明" * 300)  # > 1000
    box.locator("button.primary").click()
    error = nina.locator("details[data-action=hand_back] .errorlist")
    expect(error).to_be_visible()
    expect(error).to_be_in_viewport()
    screenshot(nina, "refused-hand-back-phone")
    assert order.events.last().action != Action.HAND_BACK
