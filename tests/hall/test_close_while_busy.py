"""A window closes only once its citizen is finished, held or transferred, as at sign-out.

Walt's desk offers no "close" while he serves, but the action took one (an old page, a script):
window 2 was closed with A001 called to it — the board sent the citizen to a closed window."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.models import TicketState, WindowEvent, WindowState

pytestmark = pytest.mark.django_db


def test_a_window_busy_with_a_ticket_does_not_close(client, town):
    ticket = actions.issue(town.hall, town.residence)
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w2, town.walt)
    with pytest.raises(actions.InvalidTransition):
        actions.set_state(town.w2, town.walt, WindowState.CLOSED)
    client.force_login(town.walt)
    page = client.post("/hall/dnl/desk/act", {"action": "close"}, follow=True)
    assert '<li class="error">' in page.content.decode()
    town.w2.refresh_from_db()
    assert town.w2.state == WindowState.OPEN
    assert not WindowEvent.objects.filter(window=town.w2, action="close").exists()

    # A pause (the system is down) stays possible while serving; once finished, it closes.
    actions.set_state(town.w2, town.walt, WindowState.PAUSED, reason="系统故障")
    actions.start(ticket, town.walt)
    actions.finish(ticket, town.walt)
    assert ticket.state == TicketState.DONE
    actions.set_state(town.w2, town.walt, WindowState.CLOSED)
    town.w2.refresh_from_db()
    assert town.w2.state == WindowState.CLOSED
