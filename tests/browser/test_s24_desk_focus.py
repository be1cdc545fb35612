"""The window desk by keyboard alone (walk-through, session 24, M6): every desk action reloads
the page, and the focus fell to the top, a dozen tab stops of site navigation away from "Call
next". Now the new state's primary control has the focus (Call next, Start service, Finish),
and the first tab stop of every page skips the navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall import actions
from tests.browser.test_hall_story import hall, sign_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def focused_action(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.dataset.action")


def expect_focus_on(page, action: str) -> None:
    """The focus is on this action's button. Waits for it: the browser applies a page's
    autofocus when it next renders the page, which need not be before the load event that
    ends a navigation's wait (a bare read could find the focus still on the body)."""
    expect(page.locator(":focus")).to_have_attribute("data-action", action)


def armed(page) -> None:
    """The focused button takes keys a moment after the page comes (desk.js, review r1 L6)."""
    page.wait_for_function(
        "() => document.body.hasAttribute('data-desk-armed') || performance.now() > 1500"
    )


def press_enter_on(page, action: str) -> None:
    armed(page)
    page.locator(f"button[data-action={action}]").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_after_a_no_show_the_focus_is_on_call_next(hall, open_as):  # noqa: F811
    code = hall.hall.code
    actions.issue(hall.hall, hall.residence)
    actions.issue(hall.hall, hall.residence)
    walt = open_as(hall.walt)
    sign_in(walt, code, hall.w2.pk)
    expect_focus_on(walt, "call_next")
    press_enter_on(walt, "call_next")
    expect_focus_on(walt, "start")
    for _ in range(2):  # nobody comes: two recalls allow a no-show
        press_enter_on(walt, "recall")
        expect_focus_on(walt, "start")
    walt.locator("[data-testid=confirm-no_show]").focus()
    walt.keyboard.press("Enter")
    expect(walt.locator("button[data-action=no_show]")).to_be_visible()
    press_enter_on(walt, "no_show")
    expect(walt.locator("ul.messages")).to_be_visible()
    expect_focus_on(walt, "call_next")
    # Enter on it calls the next ticket: no tabbing from the top of the page.
    armed(walt)
    with walt.expect_navigation():
        walt.keyboard.press("Enter")
    expect_focus_on(walt, "start")
    press_enter_on(walt, "start")
    expect_focus_on(walt, "finish")


def test_the_first_tab_stop_skips_the_navigation(hall, open_as):  # noqa: F811
    walt = open_as(hall.walt)
    walt.goto("/")
    walt.keyboard.press("Tab")
    skip = walt.locator("[data-testid=skip-link]")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    expect(skip).to_have_text("跳到正文")
    walt.keyboard.press("Enter")
    walt.keyboard.press("Tab")
    inside = walt.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    assert inside
