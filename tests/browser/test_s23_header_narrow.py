"""The staff header on a tablet and a phone (walk-through, session 23). At 768 px the menu was
squeezed beside the name and the account until each Chinese label broke one character per line
(a header 370–390 px tall); at 390 px it wrapped to three lines (224 px) before the page began.
Now the menu takes a line of its own when it does not fit, and on a phone that line scrolls
sideways: every link still reachable, no label broken, the page not wider than the screen."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

HEADER = "document.querySelector('header.topbar').getBoundingClientRect().height"
#: The tallest menu link: one line of text (a label broken per character is several), padded to
#: a 44 px touch target on a phone (session 29, tests/browser/test_s29_nav_touch_targets.py).
TALLEST_LINK = """Math.max(...[...document.querySelectorAll('.topnav a')].map(
    a => a.getBoundingClientRect().height))"""


@pytest.mark.parametrize(("width", "most"), [(768, 110), (390, 145), (1366, 60)])
def test_the_dispatchers_header_stays_short(town, open_as, width, most):
    dan = open_as(town.d.dan, viewport={"width": width, "height": 900})
    dan.goto("/")
    assert dan.evaluate(HEADER) <= most
    assert dan.evaluate(TALLEST_LINK) < (50 if width <= 600 else 40)
    assert dan.evaluate("document.documentElement.scrollWidth") <= width
    links = dan.locator(".topnav a")
    assert links.count() >= 4
    # The last link is reachable (scrolled to on a phone), not clipped away.
    links.last.scroll_into_view_if_needed()
    assert links.last.is_visible()
