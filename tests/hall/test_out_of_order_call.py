"""Calling a ticket out of order takes only a ticket the window can serve.

Walt's window 2 does 居住证 only. A 老年综合津贴 ticket called there out of order sat at a window
that cannot serve it (the transfer is the step that moves a ticket to another matter or window).
A ticket transferred to Wendy's window 1 is hers while window 1 is open: Walt's out-of-order
call took it from her queue without a word. With window 1 paused or closed nobody would call it,
so another window may, with the reason and the window it was sent to recorded.
"""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.models import TicketEvent, TicketState, WindowState

pytestmark = pytest.mark.django_db


def _act(client, town, **data) -> str:
    page = client.post(
        f"/hall/{town.hall.code}/desk/act", data, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    return page.content.decode()


def _offered(client, town) -> str:
    """The desk's waiting list: the tickets offered for an out-of-order call."""
    page = client.get(f"/hall/{town.hall.code}/desk/").content.decode()
    return page.split('data-testid="waiting"', 1)[1].split("</ol>", 1)[0]


def test_it_refuses_a_ticket_of_a_matter_the_window_does_not_serve(client, town):
    ticket = actions.issue(town.hall, town.allowance)
    actions.sign_in(town.w2, town.walt)
    with pytest.raises(actions.InvalidInput) as refused:
        actions.call_ticket(town.w2, town.walt, ticket, reason="老人")
    assert refused.value.message == (
        "2号窗口不办理老年综合津贴申请（B001号）；可将该号转办到办理该事项的窗口，或改办其他事项。"
    )
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING and ticket.window_id is None
    assert not TicketEvent.objects.filter(ticket=ticket, action="call").exists()

    # The desk does not offer it; a page posted anyway gets the message, nothing changes.
    client.force_login(town.walt)
    assert "B001" not in _offered(client, town)
    page = _act(client, town, action="call_ticket", ticket=ticket.pk, reason="老人")
    assert '<li class="error">' in page and "2号窗口不办理老年综合津贴申请" in page
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING


def test_a_ticket_transferred_to_an_open_window_is_that_windows(client, town):
    ticket = actions.issue(town.hall, town.residence)
    actions.sign_in(town.w1, town.wendy)
    actions.sign_in(town.w2, town.walt)
    actions.transfer(ticket, town.hugo, window=town.w1, reason="专窗办理")
    with pytest.raises(actions.Conflict) as refused:
        actions.call_ticket(town.w2, town.walt, ticket, reason="老人")
    assert refused.value.message == "A001号已转办到1号窗口，由该窗口叫号。"
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING and ticket.target_window_id == town.w1.pk

    client.force_login(town.walt)
    assert "A001" not in _offered(client, town)
    client.force_login(town.wendy)
    assert "A001" in _offered(client, town)
    actions.call_ticket(town.w1, town.wendy, ticket, reason="专窗")
    assert ticket.window_id == town.w1.pk


def test_a_ticket_sent_to_a_paused_window_may_be_called_elsewhere_with_the_record(client, town):
    ticket = actions.issue(town.hall, town.residence)
    actions.sign_in(town.w1, town.wendy)
    actions.sign_in(town.w2, town.walt)
    actions.transfer(ticket, town.hugo, window=town.w1, reason="专窗办理")
    actions.set_state(town.w1, town.wendy, WindowState.PAUSED, reason="午休")

    client.force_login(town.walt)
    offered = _offered(client, town)
    assert "A001" in offered and "已转至1号窗口" in offered
    _act(client, town, action="call_ticket", ticket=ticket.pk, reason="1号窗口午休")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CALLED and ticket.window_id == town.w2.pk
    assert ticket.target_window_id is None
    event = TicketEvent.objects.get(ticket=ticket, action="call")
    assert event.reason == "1号窗口午休"
    assert event.payload == {"out_of_order": True, "transferred_to": 1}
