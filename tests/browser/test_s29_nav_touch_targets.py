"""The top bar on a phone (390 px): every link, button and the language menu is at least 44 px
tall, a finger's size (20-25 px before, walk-through session 28, F11), the menu still one line
that scrolls sideways; the header three rows of 44 px (brand, account, menu), at most 145 px.
Hugo (大宁路's hall manager) reaches 实时看板 from it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.hall.conftest import make_hall

pytestmark = pytest.mark.browser

#: The heights of everything a finger presses in the top bar.
TARGETS = """[...document.querySelectorAll(
    'header.topbar a, header.topbar button, header.topbar select')]
  .filter(e => e.offsetParent !== null)
  .map(e => [e.textContent.trim() || e.tagName, e.getBoundingClientRect().height])"""
HEADER = "document.querySelector('header.topbar').getBoundingClientRect().height"


def test_the_managers_top_bar_on_a_phone_has_finger_sized_targets(town, open_as):
    hall = make_hall(town.d)
    hugo = open_as(hall.hugo, viewport={"width": 390, "height": 844})
    hugo.goto("/")
    small = [(what, height) for what, height in hugo.evaluate(TARGETS) if height < 44]
    assert small == []
    assert hugo.evaluate(HEADER) <= 145
    assert hugo.evaluate("document.documentElement.scrollWidth") <= 390
    board = hugo.locator(".topnav a", has_text="实时看板")
    board.scroll_into_view_if_needed()
    board.click()
    expect(hugo).to_have_url(re.compile(r"/hall/dnl/manage/$"))
