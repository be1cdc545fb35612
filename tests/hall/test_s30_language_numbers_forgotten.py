"""A ticket's number to text, and its language, do not outlive the ticket's day (session 30).

Thursday 2023-03-09, 居住证 at window 2 (Walt), three tickets waiting. Mary takes hers at the
kiosk in English and asks to be texted when her turn is near; she leaves before it comes near.
Her number was erased only when the text went out, so a ticket never texted kept it for good
(and now its language with it). The worker's pass of the next morning erases both; a ticket of
today keeps them until its text goes out."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions, sweep
from hotline.hall.identity import holder_key
from hotline.hall.models import Ticket
from tests.conftest import at

pytestmark = pytest.mark.django_db

MARY = "13900002222"


def kiosk_ticket_texting(client, town, phone: str) -> Ticket:
    posted = {"matter": town.residence.pk, "phone": phone, "sms": "on"}
    answer = client.post(f"/hall/{town.hall.code}/kiosk/", posted, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 302
    return Ticket.objects.get(holder_key=holder_key(phone=phone))


def kept(ticket: Ticket) -> tuple[str, str]:
    stored = Ticket.objects.get(pk=ticket.pk)
    return stored.sms_phone, stored.sms_language


def test_mary_leaves_before_her_text_and_her_number_is_gone_next_morning(client, town):
    town.hall.sms_position = 1
    town.hall.save(update_fields=["sms_position"])
    actions.sign_in(town.w2, town.walt)
    for _ in range(3):
        actions.issue(town.hall, town.residence)
    mary = kiosk_ticket_texting(client, town, MARY)
    actions.cancel(mary, reason="left")
    assert kept(mary) == (MARY, "en")
    with time_machine.travel(at("2023-03-09 18:30"), tick=False):
        sweep.sweep_hall(town.hall, at("2023-03-09 18:30"))
    assert kept(mary) == (MARY, "en")  # its day is not over
    with time_machine.travel(at("2023-03-10 08:00"), tick=False):
        sweep.sweep_hall(town.hall, at("2023-03-10 08:00"))
    assert kept(mary) == ("", "")


def test_a_waiting_ticket_of_today_keeps_its_number(client, town):
    town.hall.sms_position = 0
    town.hall.save(update_fields=["sms_position"])
    actions.sign_in(town.w2, town.walt)
    actions.issue(town.hall, town.residence)
    mary = kiosk_ticket_texting(client, town, MARY)
    sweep.sweep_hall(town.hall, at("2023-03-09 10:30"))
    assert kept(mary) == (MARY, "en")
