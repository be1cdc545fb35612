"""The wall board stops listing a window's calls once the window closes.

Walt called A001 at window 2, served it and signed out for lunch. The board kept showing
"A001 → window 2" among its recent calls, so a latecomer holding A001 walked to a window with
nobody at it. A closed window calls nobody: the board leaves its earlier calls out, and lists
its calls again once it is open and calls anew. The other windows' calls stay.
"""

from __future__ import annotations

import re

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.models import WindowState
from tests.conftest import at

pytestmark = pytest.mark.django_db

CALL = r'<li data-call data-event-id="\d+" data-number="(\w+)"'


def _listed(client, town) -> list[str]:
    live = client.get(f"/hall/{town.hall.code}/board/", HTTP_HX_REQUEST="true").content.decode()
    return re.findall(CALL, live)


def test_a_window_signed_out_leaves_the_board(client, town):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        actions.sign_in(town.w2, town.walt)
        actions.sign_in(town.w1, town.wendy)
        first = actions.issue(town.hall, town.residence)
        second = actions.issue(town.hall, town.residence)
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        actions.call_next(town.w2, town.walt)
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        actions.call_next(town.w1, town.wendy)
    assert _listed(client, town) == [second.number, first.number]
    with time_machine.travel(at("2023-03-09 10:05"), tick=False):
        actions.start(first, town.walt)
        actions.finish(first, town.walt)
        actions.sign_out(town.w2, town.walt)
    assert _listed(client, town) == [second.number]  # window 2 is closed


def test_a_window_closed_then_opened_again_lists_only_its_new_calls(client, town):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        actions.sign_in(town.w2, town.walt)
        first = actions.issue(town.hall, town.residence)
        second = actions.issue(town.hall, town.residence)
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        actions.call_next(town.w2, town.walt)
    with time_machine.travel(at("2023-03-09 10:07"), tick=False):  # the hall's timeout passed
        actions.no_show(first, town.walt)
    with time_machine.travel(at("2023-03-09 10:08"), tick=False):
        actions.set_state(town.w2, town.walt, WindowState.CLOSED)
    assert _listed(client, town) == []
    with time_machine.travel(at("2023-03-09 10:09"), tick=False):
        actions.set_state(town.w2, town.walt, WindowState.OPEN)
        actions.call_next(town.w2, town.walt)
    assert _listed(client, town) == [second.number]


def test_a_paused_window_keeps_its_call_on_the_board(client, town):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        actions.sign_in(town.w2, town.walt)
        ticket = actions.issue(town.hall, town.residence)
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        actions.call_next(town.w2, town.walt)
        actions.start(ticket, town.walt)
        actions.hold(ticket, town.walt, reason="材料复印")
        actions.set_state(town.w2, town.walt, WindowState.PAUSED, reason="午休")
    assert _listed(client, town) == [ticket.number]


def test_a_ticket_transferred_back_to_the_queue_leaves_the_board(client, town):
    """Walt transferred A001 to window 1: the board went on saying "A001 → window 2", and its
    holder stood at window 2 while window 1 waited to call them."""
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        actions.sign_in(town.w2, town.walt)
        actions.sign_in(town.w1, town.wendy)
        ticket = actions.issue(town.hall, town.residence)
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        actions.call_next(town.w2, town.walt)
    assert _listed(client, town) == [ticket.number]
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        actions.transfer(ticket, town.walt, window=town.w1, reason="需综合窗口")
    assert _listed(client, town) == []
    with time_machine.travel(at("2023-03-09 10:03"), tick=False):
        actions.call_next(town.w1, town.wendy)
    live = client.get(f"/hall/{town.hall.code}/board/", HTTP_HX_REQUEST="true").content.decode()
    shown = re.findall(
        r'<li data-call [^>]*data-number="(\w+)"[^>]*data-window="(\d+)"(?![^>]* hidden)', live
    )
    assert shown == [(ticket.number, "1")]
