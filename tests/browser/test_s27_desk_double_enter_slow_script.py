"""Walt's second Enter on Finish does not call the next citizen when desk.js comes late
(session 27, h3; follow-up of 9421a51, review r1 L6). The desk held the second press back for a
moment after the page came, but the page focused Call next by its autofocus attribute as soon as
it showed: where desk.js took longer to come (a slow server, a cold cache after a deploy) a
second Enter 0.6 s after the first went to Call next unguarded. The script now gives the focus
itself, once its guard is in place."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from hotline.hall import actions
from hotline.hall.models import TicketState
from tests.browser.test_hall_story import hall, sign_in  # noqa: F401  (fixture)
from tests.browser.test_s24_desk_focus import armed, expect_focus_on, press_enter_on

pytestmark = pytest.mark.browser


def test_a_second_enter_before_a_slow_desk_script_calls_nobody(hall, open_as):  # noqa: F811
    code = hall.hall.code
    first = actions.issue(hall.hall, hall.residence)
    second = actions.issue(hall.hall, hall.residence)
    walt = open_as(hall.walt)
    sign_in(walt, code, hall.w2.pk)
    press_enter_on(walt, "call_next")
    press_enter_on(walt, "start")
    expect_focus_on(walt, "finish")
    armed(walt)

    def late(route):
        time.sleep(2)  # desk.js takes two seconds to come
        route.continue_()

    walt.route("**/desk.js", late)
    walt.keyboard.press("Enter")  # Finish
    walt.wait_for_timeout(600)
    walt.keyboard.press("Enter")  # again, the new page showing, its script not come yet
    # Once the script has come, the focus is on Call next, and the second ticket still waits.
    expect_focus_on(walt, "call_next")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == TicketState.DONE and second.state == TicketState.WAITING
    expect(walt.locator("[data-testid=current-number]")).to_have_count(0)
    # A deliberate Enter, once the page has been there a moment, calls at once.
    walt.wait_for_selector("body[data-desk-armed]", state="attached")
    with walt.expect_navigation():
        walt.keyboard.press("Enter")
    expect(walt.locator("[data-testid=current-number]")).to_have_text(second.number)
