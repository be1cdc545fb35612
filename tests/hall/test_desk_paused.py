"""Walt pauses his window for lunch. His desk went on offering "Call next" as its main button,
and "Call this one" beside every waiting ticket, though the server refuses both on a paused
window ("open the window to call tickets"): a tired clerk back from lunch pressed it and read a
refusal. A paused (or closed) window's desk offers no call; it says to open the window first."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.models import WindowState

pytestmark = pytest.mark.django_db


def test_a_paused_window_s_desk_offers_no_call(client, town):
    actions.issue(town.hall, town.residence)
    client.force_login(town.walt)
    desk, act = "/hall/dnl/desk/", "/hall/dnl/desk/act"
    client.post(act, {"action": "sign_in", "window": town.w2.pk})
    page = client.get(desk).content.decode()
    assert 'data-action="call_next"' in page and 'data-action="call_ticket"' in page
    client.post(act, {"action": "pause", "reason": "午休"})
    town.w2.refresh_from_db()
    assert town.w2.state == WindowState.PAUSED
    page = client.get(desk).content.decode()
    assert 'data-action="call_next"' not in page and 'data-action="call_ticket"' not in page
    assert 'data-testid="open-to-call"' in page and "请先开放窗口再叫号" in page
    assert 'data-action="open"' in page


def test_a_held_ticket_is_not_called_back_to_a_paused_window(client, town):
    """Walt holds 张三's ticket (a copy to fetch) and pauses for lunch. "Call back" stayed on his
    desk and worked: the board sent 张三 to window 2 while it was paused, nobody there. A call
    back is a call: the window is opened first (the held ticket waits, as before)."""
    ticket = actions.issue(town.hall, town.residence, holder_name="张三")
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w2, town.walt)
    actions.hold(ticket, town.walt)
    actions.set_state(town.w2, town.walt, WindowState.PAUSED, reason="午休")
    with pytest.raises(actions.InvalidTransition, match="请先开放窗口"):
        actions.call_back(ticket, town.walt)
    client.force_login(town.walt)
    page = client.get("/hall/dnl/desk/").content.decode()
    assert ticket.number in page and 'data-action="call_back"' not in page
    actions.set_state(town.w2, town.walt, WindowState.OPEN)
    actions.call_back(ticket, town.walt)
    ticket.refresh_from_db()
    assert ticket.state == "called"


def test_a_called_ticket_is_not_recalled_to_a_paused_window(client, town):
    """Pausing is allowed with a ticket called; "Call again" then sent the citizen to a paused
    window, as call back did (review, session 18)."""
    ticket = actions.issue(town.hall, town.residence, holder_name="张三")
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w2, town.walt)
    actions.set_state(town.w2, town.walt, WindowState.PAUSED, reason="午休")
    ticket.refresh_from_db()
    with pytest.raises(actions.InvalidTransition, match="请先开放窗口"):
        actions.recall(ticket, town.walt)
    client.force_login(town.walt)
    page = client.get("/hall/dnl/desk/").content.decode()
    # No-show stays, shown with its rule until the hall's minutes since the call have run out
    # (test_s23_desk_no_show_rule).
    assert 'data-action="recall"' not in page and 'data-testid="no-show-not-yet"' in page
    actions.set_state(town.w2, town.walt, WindowState.OPEN)
    actions.recall(ticket, town.walt)
    ticket.refresh_from_db()
    assert ticket.recalls == 1
