"""Walt finishes a service by keyboard: Enter on Finish reloads the desk with the focus on Call
next (40dda88), so a second Enter a moment later, or the key held, called the next citizen he
had not meant to call yet (review r1, L6). The focused button takes no key for a moment after
the page comes, nor a held key's repeats; a deliberate Enter after it still calls at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall import actions
from hotline.hall.models import TicketState
from tests.browser.test_hall_story import hall, sign_in  # noqa: F401  (fixture)
from tests.browser.test_s24_desk_focus import armed, expect_focus_on, focused_action, press_enter_on

pytestmark = pytest.mark.browser


def test_a_double_enter_on_finish_does_not_call_the_next_citizen(hall, open_as):  # noqa: F811
    code = hall.hall.code
    first = actions.issue(hall.hall, hall.residence)
    second = actions.issue(hall.hall, hall.residence)
    walt = open_as(hall.walt)
    sign_in(walt, code, hall.w2.pk)
    press_enter_on(walt, "call_next")
    press_enter_on(walt, "start")
    expect_focus_on(walt, "finish")
    armed(walt)
    with walt.expect_navigation():
        walt.keyboard.press("Enter")
    walt.keyboard.press("Enter")  # the same key again, a moment later
    walt.keyboard.down("Enter")  # and a key held down: its repeats
    walt.keyboard.down("Enter")
    walt.keyboard.up("Enter")
    walt.wait_for_timeout(1000)
    assert focused_action(walt) == "call_next"
    expect(walt.locator("[data-testid=current-number]")).to_have_count(0)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == TicketState.DONE and second.state == TicketState.WAITING
    # A deliberate Enter, once the page has been there a moment, calls at once.
    armed(walt)
    with walt.expect_navigation():
        walt.keyboard.press("Enter")
    expect(walt.locator("[data-testid=current-number]")).to_have_text(second.number)
