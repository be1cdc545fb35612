"""A ticket still being served at the day's end keeps its serving minutes.

Thursday: Walt (window 2) starts serving 张三 at 16:40 and never presses "finish" (张三 leaves
with his papers at closing); the worker's day's-end pass ends the ticket the next morning at
08:30 (it was down overnight) and closes window 2 at the day's end, 18:00. Before, the day_end
event said nothing of the service, so window 2's figures counted 16:40–18:00 as idle, though
Walt was at the counter with 张三 all along. The event now carries until when the service is
counted: the day's end (when the window's own day closes in its events), never the moment the
worker happened to run. The KPIs' fold is to count it in the window's busy minutes (the
hall KPIs' area); the estimate's cycles leave it out: its real end is unknown, and a cycle
running to the day's end would be among the next morning's most recent ones."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions, sweep
from hotline.hall.models import TicketAction, TicketEvent
from tests.conftest import at


def _zhang_served_until_the_end(town):
    with time_machine.travel(at("2023-03-09 16:30"), tick=False):
        actions.sign_in(town.w2, town.walt)
        zhang = actions.issue(town.hall, town.residence, holder_name="张三")
    with time_machine.travel(at("2023-03-09 16:40"), tick=False):
        actions.call_next(town.w2, town.walt)
        actions.start(zhang, town.walt)
    return zhang


@pytest.mark.django_db
def test_the_day_end_event_says_until_when_the_ticket_was_served(town):
    zhang = _zhang_served_until_the_end(town)
    sweep.sweep_hall(town.hall, at("2023-03-10 08:30"))  # the worker was down overnight
    event = TicketEvent.objects.get(ticket=zhang, action=TicketAction.DAY_END)
    assert event.payload["served_until"] == at("2023-03-09 18:00").isoformat()


@pytest.mark.django_db
def test_a_ticket_ended_waiting_or_on_hold_carries_no_service(town):
    with time_machine.travel(at("2023-03-09 16:30"), tick=False):
        waiting = actions.issue(town.hall, town.residence, holder_name="李四")
    sweep.sweep_hall(town.hall, at("2023-03-09 18:00"))
    event = TicketEvent.objects.get(ticket=waiting, action=TicketAction.DAY_END)
    assert event.payload == {"day": "2023-03-09"}
