"""Wendy, a clerk, reprints any waiting ticket of her hall at the reception desk and is sent to
its page, token and all. 7482d0f refused her give-up while she was signed in; the same link in a
private window or on her own phone (scanning the slip) is anonymous, and the give-up was booked
as the citizen's own abandonment (review r1, M2). A ticket whose slip staff printed again is no
longer given up on its page, from any browser; a ticket no one reprinted still is."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from hotline.hall import actions
from hotline.hall.models import Source, TicketAction, TicketEvent, TicketState
from hotline.web import once

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote(town):
    return actions.issue(town.hall, town.residence, source=Source.REMOTE, holder_name="李四")


def _reprint(town, ticket) -> str:
    wendy = Client()
    wendy.force_login(town.wendy)
    answer = wendy.post(
        f"/hall/{town.hall.code}/reception/",
        {"action": "reprint", "ticket": str(ticket.pk), once.FIELD: once.new_token()},
    )
    assert answer.status_code == 302
    return answer["Location"]


def test_a_reprinted_ticket_is_not_given_up_from_a_signed_out_browser(town, remote):
    assert remote.token in _reprint(town, remote)
    private_window = Client()
    with translation.override("zh-hans"):
        page = private_window.get(f"/hall/place/{remote.token}/give-up/")
        answer = private_window.post(f"/hall/place/{remote.token}/give-up/")
    assert 'data-testid="give-up-form"' not in page.content.decode()
    assert answer.status_code == 409 and "工作人员补打" in answer.content.decode()
    remote.refresh_from_db()
    assert remote.state == TicketState.WAITING
    assert not TicketEvent.objects.filter(ticket=remote, action=TicketAction.CANCEL).exists()
    place = private_window.get(f"/hall/place/{remote.token}/").content.decode()
    assert 'data-testid="give-up"' not in place


def test_the_action_refuses_it_too(town, remote):
    _reprint(town, remote)
    remote.refresh_from_db()
    with pytest.raises(actions.InvalidTransition):
        actions.tickets.give_up(remote)


def test_a_ticket_no_one_reprinted_is_still_given_up_by_its_holder(town, remote):
    holder = Client()
    assert 'data-testid="give-up"' in holder.get(f"/hall/place/{remote.token}/").content.decode()
    assert holder.post(f"/hall/place/{remote.token}/give-up/").status_code == 302
    remote.refresh_from_db()
    assert remote.state == TicketState.CANCELLED
