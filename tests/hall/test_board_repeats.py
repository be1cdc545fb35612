"""The wall board lists each called number once, at its latest window, while every call (a
recall too) still carries its own event for the display to announce."""

from __future__ import annotations

import re

import pytest
import time_machine

from hotline.hall import actions
from tests.conftest import at

pytestmark = pytest.mark.django_db

CALL = r'<li data-call data-event-id="(\d+)" data-number="(\w+)"[^>]*?( hidden)?>'


def test_a_recalled_ticket_is_listed_once_and_announced_again(client, town):
    actions.sign_in(town.w2, town.walt)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        ticket = actions.issue(town.hall, town.residence, holder_name="张三")
        other = actions.issue(town.hall, town.residence)
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        actions.call_next(town.w2, town.walt)
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        actions.recall(ticket, town.walt)
    live = client.get(f"/hall/{town.hall.code}/board/", HTTP_HX_REQUEST="true").content.decode()
    calls = re.findall(CALL, live)
    shown = [number for _, number, hidden in calls if not hidden]
    assert shown == [ticket.number]  # once, though called twice
    assert [number for _, number, _ in calls] == [ticket.number, ticket.number]
    ids = [int(event) for event, _, _ in calls]
    assert ids[0] > ids[1]  # the recall is the newest event: the display speaks it again
    assert other.number not in shown
