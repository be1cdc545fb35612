"""Finishing with every "matters done" box unticked records no matter done.

张三 came for 居住证办理 without her rental contract: Walt served her, could do nothing, unticked
居住证办理 under "Matters done" and pressed Finish. The desk sent no box, and the window recorded
居住证办理 as done all the same, so the hall's record counted a matter nobody handled. Now the
desk says its boxes were shown: none ticked is none done, and the clerk is told so. A finish
posted without the boxes (an older page) still means the ticket's own matter.
"""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.models import TicketEvent

pytestmark = pytest.mark.django_db


def _serving(town):
    ticket = actions.issue(town.hall, town.residence, holder_name="张三")
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w2, town.walt)
    actions.start(ticket, town.walt)
    return ticket


def _finish(client, ticket, **fields):
    return client.post(
        "/hall/dnl/desk/act", {"action": "finish", "ticket": ticket.pk, **fields}, follow=True
    )


def test_all_boxes_unticked_records_no_matter_done(client, town):
    ticket = _serving(town)
    client.force_login(town.walt)
    desk = client.get("/hall/dnl/desk/").content.decode()
    assert 'name="matters_shown" value="1"' in desk
    page = _finish(client, ticket, matters_shown="1").content.decode()
    event = TicketEvent.objects.get(ticket=ticket, action="finish")
    assert event.payload == {"matters": []}
    assert "Finished; no matter recorded as done." in page or "未记录已办事项" in page


def test_the_ticked_matters_are_recorded(client, town):
    ticket = _serving(town)
    client.force_login(town.walt)
    _finish(client, ticket, matters_shown="1", matters=[town.residence.pk, town.allowance.pk])
    event = TicketEvent.objects.get(ticket=ticket, action="finish")
    assert event.payload == {"matters": ["jzz", "lnjt"]}


def test_a_finish_without_the_boxes_means_the_ticket_s_matter(client, town):
    ticket = _serving(town)
    client.force_login(town.walt)
    _finish(client, ticket)
    assert TicketEvent.objects.get(ticket=ticket, action="finish").payload == {"matters": ["jzz"]}
