"""Walt's window desk with auto-call on, and the hall's appointment list with each booking's
history, in real Chromium under the production CSP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hotline import clock
from hotline.hall import actions
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Ticket, TicketState
from tests.browser.conftest import screenshot
from tests.browser.test_hall_story import act, hall, sign_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_auto_call_calls_the_next_ticket_when_walt_finishes(hall, open_as):  # noqa: F811
    code = hall.hall.code
    first = actions.issue(hall.hall, hall.residence, holder_name="张三")
    second = actions.issue(hall.hall, hall.residence, holder_name="李四")
    walt = open_as(hall.walt)
    sign_in(walt, code, hall.w2.pk)
    act(walt, "auto_call")
    expect(walt.locator("[data-testid=auto-call]")).to_have_attribute("data-on", "1")
    act(walt, "call_next")
    expect(walt.locator("[data-testid=current-number]")).to_have_text(first.number)
    act(walt, "start")
    act(walt, "finish")
    # No button pressed: the finish called the next ticket.
    expect(walt.locator("[data-testid=current-number]")).to_have_text(second.number)
    screenshot(walt, "hall-desk-auto-call")
    assert Ticket.objects.get(pk=second.pk).state == TicketState.CALLED


def test_the_appointment_list_shows_who_booked_and_who_cancelled(hall, open_as):  # noqa: F811
    start = timezone.localtime(clock.now() + dt.timedelta(hours=2)).replace(
        minute=0, second=0, microsecond=0
    )
    slots = booking.open_slots(
        hall.hall,
        hall.residence,
        start.date(),
        starts=start.time(),
        ends=(start + dt.timedelta(minutes=30)).time(),
        minutes=30,
        capacity=3,
    )
    kept = booking.book(
        slots[0], holder_key=holder_key(phone="13912345678"), holder_name="张三",
        booked_by=hall.district.olga,
    )  # fmt: skip
    dropped = booking.book(slots[0], holder_key=holder_key(phone="13800001111"), holder_name="李四")
    booking.cancel(dropped, actor=hall.hugo, reason="窗口停开")
    hugo = open_as(hall.hugo)
    hugo.goto(f"/hall/{hall.hall.code}/appointments/?day={start.date().isoformat()}")
    row = hugo.locator(f"tr[data-code='{kept.code}']")
    expect(row.locator("li[data-action=book]")).to_contain_text("12345")  # Olga, an operator
    cancelled = hugo.locator(f"tr[data-code='{dropped.code}']")
    expect(cancelled).to_have_attribute("data-state", "cancelled")
    expect(cancelled.locator("li[data-action=cancel]")).to_contain_text("胡刚")
    screenshot(hugo, "hall-appointments")
    # A mangled day answers with the reason, not another day's list.
    hugo.goto(f"/hall/{hall.hall.code}/appointments/?day=2026-02-30")
    expect(hugo.locator("[data-testid=appointments-error]")).to_be_visible()
