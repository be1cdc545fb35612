"""A clerk signing out (or closing the window) with a citizen's ticket on hold there.

Walt holds 张三's ticket at window 2 while she fetches a copy of her ID card, and signs out for
the day. Her phone says to come back to window 2, where she will be called back; window 2 was
closed, nobody else could call her back (only window 2's clerk), and her ticket was lost in no
queue. Signing out or closing now says which tickets are on hold there first; once they are
called back and finished (or transferred), the window closes."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.models import TicketState, WindowState
from hotline.hall.rules import InvalidTransition

pytestmark = pytest.mark.django_db


def _held_at_window_2(town):
    ticket = actions.issue(town.hall, town.residence, holder_name="张三")
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w2, town.walt)
    actions.start(ticket, town.walt)
    actions.hold(ticket, town.walt, reason="缺身份证复印件")
    return ticket


def test_walt_cannot_sign_out_or_close_with_a_ticket_on_hold(town):
    ticket = _held_at_window_2(town)
    with pytest.raises(InvalidTransition, match=ticket.number):
        actions.sign_out(town.w2, town.walt)
    with pytest.raises(InvalidTransition, match=ticket.number):
        actions.set_state(town.w2, town.walt, WindowState.CLOSED)
    with pytest.raises(InvalidTransition, match=ticket.number):
        actions.sign_in(town.w3, town.walt)  # leaving window 2 for window 3
    town.w2.refresh_from_db()
    assert town.w2.clerk == town.walt and town.w2.state == WindowState.OPEN
    actions.set_state(town.w2, town.walt, WindowState.PAUSED, reason="午休")  # a break is fine


def test_once_the_held_ticket_is_served_walt_signs_out(town):
    ticket = _held_at_window_2(town)
    actions.call_back(ticket, town.walt)
    actions.start(ticket, town.walt)
    actions.finish(ticket, town.walt)
    actions.sign_out(town.w2, town.walt)
    town.w2.refresh_from_db()
    ticket.refresh_from_db()
    assert town.w2.clerk is None and ticket.state == TicketState.DONE


def test_the_desk_says_why_the_window_stays_open(client, town):
    ticket = _held_at_window_2(town)
    client.force_login(town.walt)
    page = client.post("/hall/dnl/desk/act", {"action": "sign_out"}, follow=True)
    assert ticket.number in page.content.decode() and "挂起" in page.content.decode()
    town.w2.refresh_from_db()
    assert town.w2.clerk == town.walt
