"""A citizen on a 390 px phone sees every link of the portal's top menu, in English as in Chinese
(walk-through, session 30, h6; seen in session 29 by h9).

The staff menu on a phone is one line that scrolls sideways. The portal's menu did the same, and
in English it ran past the right edge: "Common quest…" was cut off and "Statistics" was out of
sight, with nothing to show that the line scrolls. A citizen has four links and no habit of
swiping a menu, so on a phone the portal's menu wraps onto a second line instead. Each link is
still at least a finger tall (44 px), and the header stays short enough to leave the form in view.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

LINKS = """[...document.querySelectorAll('header.topbar .topnav a')].map(a => {
  const r = a.getBoundingClientRect();
  return {text: a.textContent.trim(), left: r.left, right: r.right, height: r.height};
})"""
NAV_SCROLLS = """(n => n.scrollWidth > n.clientWidth)(
  document.querySelector('header.topbar .topnav'))"""
HEADER = "document.querySelector('header.topbar').getBoundingClientRect().height"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_mrs_zhou_sees_every_portal_link_on_her_phone(town, open_as, live_server, language):
    zhou = open_as(None, viewport=PHONE)
    zhou.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    zhou.goto("/portal/track/")
    assert zhou.locator("html").get_attribute("lang") == language

    links = zhou.evaluate(LINKS)
    assert len(links) == 4
    cut = [link["text"] for link in links if link["left"] < 0 or link["right"] > PHONE["width"]]
    assert cut == [], f"past the screen's edge: {cut}"
    assert not zhou.evaluate(NAV_SCROLLS), "the menu hides links behind a sideways scroll"
    assert [link["text"] for link in links if link["height"] < 44] == []
    assert zhou.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert zhou.evaluate(HEADER) <= 160
    screenshot(zhou, f"s30-portal-nav-phone-{language}")

    # The last link, Statistics, is pressed where it is, without scrolling the menu first.
    with zhou.expect_navigation():
        zhou.locator("header.topbar .topnav a[href$='/portal/statistics/']").click()
    assert zhou.url.endswith("/portal/statistics/")
