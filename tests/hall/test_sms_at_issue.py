"""The text near the front for a ticket that is near the front when it is given.

张三 takes today's 居住证 ticket on his phone at home (the portal's ticket always texts); one
window serves 居住证 and is busy, nobody else waits. The text went out only after the next call —
and the next call was his own, so no text came at all: he stayed at home and was marked a no-show.
A ticket given within the hall's ``sms_position`` is texted at once; one further back still waits
for the calls to bring it near."""

from __future__ import annotations

import logging

import pytest

from hotline.hall import actions
from hotline.hall.identity import holder_key
from hotline.hall.models import Source, Ticket

pytestmark = pytest.mark.django_db(transaction=True)  # messages go out on commit

PHONE = "13912345678"


def _texts(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "hall_near_front" in r.getMessage()]


def _portal_ticket(town) -> Ticket:
    return actions.issue(
        town.hall, town.residence, source=Source.PORTAL,
        holder_key=holder_key(phone=PHONE), sms_phone=PHONE,
    )  # fmt: skip


def test_a_ticket_given_near_the_front_is_texted_at_once(town, caplog):
    caplog.set_level(logging.INFO, logger="hotline.notify")
    town.hall.sms_position = 1
    town.hall.save()
    actions.sign_in(town.w2, town.walt)
    served = actions.issue(town.hall, town.residence)
    actions.call_next(town.w2, town.walt)
    actions.start(served, town.walt)  # the window is busy; nobody else waits
    mine = _portal_ticket(town)
    assert len(_texts(caplog)) == 1 and mine.number in _texts(caplog)[0]
    stored = Ticket.objects.get(pk=mine.pk)
    assert stored.sms_sent and stored.sms_phone == ""
    actions.finish(served, town.walt)
    actions.call_next(town.w2, town.walt)  # his call: no second text
    assert len(_texts(caplog)) == 1


def test_a_ticket_given_further_back_waits_for_the_calls(town, caplog):
    caplog.set_level(logging.INFO, logger="hotline.notify")
    town.hall.sms_position = 1
    town.hall.save()
    actions.sign_in(town.w2, town.walt)
    for _ in range(3):
        actions.issue(town.hall, town.residence)
    mine = _portal_ticket(town)
    assert _texts(caplog) == []
    assert not Ticket.objects.get(pk=mine.pk).sms_sent
