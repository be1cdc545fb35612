"""The reception desk and a kiosk ticket under the visitor's number (session 21).

A number typed at the kiosk proves nothing (f6cec6b): a stranger may have typed 张三's number.
Before, the desk refused 张三 his ticket for the matter and offered only to print the stranger's
ticket for him. Now staff, who see the person, are asked whether that ticket is theirs and answer
in one step: theirs (print it again), theirs to replace (cancelled with the reason recorded, the
new one given), or not theirs (his ticket given beside it; the stranger keeps theirs). A proved
ticket (given by staff, the portal's texted code, a check-in) still refuses a second one.
"""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.models import HolderProof, Source, Ticket, TicketEvent, TicketState
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

RECEPTION = "/hall/dnl/reception/"


def _stranger_at_the_kiosk(client, town) -> Ticket:
    with time_machine.travel(at("2023-03-10 09:05"), tick=False):
        response = client.post(
            "/hall/dnl/kiosk/", {"matter": town.residence.pk, "phone": BOOKING_PHONE}
        )
    assert response.status_code == 302, response.content.decode()
    return Ticket.objects.get(token=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _at_the_desk(client, town, **answer):
    with time_machine.travel(at("2023-03-10 09:10"), tick=False):
        client.force_login(town.hugo)
        return client.post(
            RECEPTION,
            {"matter": town.residence.pk, "phone": BOOKING_PHONE, **answer},
            HTTP_ACCEPT_LANGUAGE="en",
        )


def _given(response) -> Ticket:
    assert response.status_code == 302, response.content.decode()
    return Ticket.objects.get(token=response["Location"].rstrip("/").rsplit("/", 1)[1])


def test_staff_are_asked_whether_the_kiosk_ticket_is_theirs(client, town):
    stranger = _stranger_at_the_kiosk(client, town)
    asked = _at_the_desk(client, town)
    body = asked.content.decode()
    assert asked.status_code == 422
    assert "ask the visitor whether it is theirs" in body
    assert "You already hold a ticket" not in body  # not a refusal: a question
    for choice in (
        'data-testid="reprint"',
        'data-testid="unproved-cancel"',
        'data-testid="unproved-keep"',
        f'name="unproved_ticket" value="{stranger.pk}"',
    ):
        assert choice in body
    assert Ticket.objects.count() == 1


def test_not_theirs_gives_his_ticket_and_the_stranger_keeps_theirs(client, town):
    stranger = _stranger_at_the_kiosk(client, town)
    own = _given(_at_the_desk(client, town, unproved="keep", unproved_ticket=str(stranger.pk)))
    assert (own.holder_proof, own.source) == (HolderProof.STAFF, Source.RECEPTION)
    stranger.refresh_from_db()
    assert stranger.state == TicketState.WAITING


def test_theirs_to_replace_cancels_it_with_the_reason_in_one_step(client, town):
    stranger = _stranger_at_the_kiosk(client, town)
    own = _given(_at_the_desk(client, town, unproved="cancel", unproved_ticket=str(stranger.pk)))
    stranger.refresh_from_db()
    assert stranger.state == TicketState.CANCELLED and own.state == TicketState.WAITING
    event = TicketEvent.objects.get(ticket=stranger, action="cancel")
    assert event.actor == town.hugo and own.number in event.reason
    assert event.payload["replaced_by"] == own.number


def test_an_answer_about_another_ticket_asks_again(client, town):
    stranger = _stranger_at_the_kiosk(client, town)
    again = _at_the_desk(client, town, unproved="cancel", unproved_ticket=str(stranger.pk + 999))
    assert again.status_code == 422 and "ask the visitor" in again.content.decode()
    stranger.refresh_from_db()
    assert stranger.state == TicketState.WAITING and Ticket.objects.count() == 1


def test_a_ticket_at_a_window_is_not_offered_to_cancel(client, town):
    stranger = _stranger_at_the_kiosk(client, town)
    with time_machine.travel(at("2023-03-10 09:06"), tick=False):
        actions.sign_in(town.w2, town.walt)
        actions.call_next(town.w2, town.walt)
    body = _at_the_desk(client, town).content.decode()
    assert 'data-testid="unproved-keep"' in body and 'data-testid="unproved-cancel"' not in body
    refused = _at_the_desk(client, town, unproved="cancel", unproved_ticket=str(stranger.pk))
    assert refused.status_code == 422
    stranger.refresh_from_db()
    assert stranger.state == TicketState.CALLED and Ticket.objects.count() == 1


def test_a_proved_ticket_still_refuses_a_second_whatever_the_answer(client, town):
    first = _given(_at_the_desk(client, town))
    second = _at_the_desk(client, town, unproved="keep", unproved_ticket=str(first.pk))
    body = second.content.decode()
    assert second.status_code == 422 and "You already hold a ticket" in body
    assert 'data-testid="unproved-keep"' not in body and 'data-testid="reprint"' in body
    assert Ticket.objects.count() == 1
