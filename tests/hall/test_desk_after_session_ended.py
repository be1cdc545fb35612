"""The window desk left open past the end of its session (12 hours by default: yesterday's page).

Walt opens window 2 in the morning and leaves the desk page open; the next morning he taps
"叫下一号". His session has ended, so he is asked to log in again — and once logged in, the
browser went on to /hall/dnl/desk/act with GET, which answered 405 with an empty page (Chromium:
"This page isn't working"). He lands on his desk instead, told that nothing was done, and the
stale tap calls nobody."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.models import Ticket, TicketState

pytestmark = pytest.mark.django_db


def test_after_logging_in_again_walt_lands_on_his_desk_and_nothing_was_done(client, town):
    actions.sign_in(town.w2, town.walt)
    ticket = actions.issue(town.hall, town.residence)
    act = f"/hall/{town.hall.code}/desk/act"
    asked = client.post(act, {"action": "call_next"})
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/login/")
    assert "next=/hall/dnl/desk/act" in asked["Location"]
    client.force_login(town.walt)
    back = client.get(act, follow=True)  # where the login page sends him next
    assert back.status_code == 200
    assert back.redirect_chain == [(f"/hall/{town.hall.code}/desk/", 302)]
    page = back.content.decode()
    assert 'data-testid="window-state"' in page and "未执行任何操作" in page
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING  # the stale tap called nobody
    assert not Ticket.objects.filter(state=TicketState.CALLED).exists()


def test_an_outsider_following_the_same_link_is_still_refused(client, town):
    client.force_login(town.district.una)
    assert client.get(f"/hall/{town.hall.code}/desk/act").status_code == 403
