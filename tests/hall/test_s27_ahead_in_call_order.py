""" "N people ahead of you" counts the queue in the order the windows call it (session 27, h3).

The count read the queue in issue order (snapshot.position_of over the hall's order), while a
window calls its heaviest matters first (actions.windows._tiered, with the service-level bound).
At 大宁路's window 1, Wendy weighs 老年综合津贴 2 and 居住证 1: 李阿姨, who took a 居住证 ticket
first, was told "0 ahead" on her slip, her page and by text, then watched three 老年综合津贴
tickets taken after hers called before her. The count now follows the windows' own order, by
the same function the call uses."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.identity import holder_key
from hotline.hall.models import TicketAction, TicketEvent
from tests.conftest import at

TEN = at("2023-03-09 10:00")
LI_PHONE = "13912345678"


def minutes(n: int) -> dt.datetime:
    return TEN + dt.timedelta(minutes=n)


def li_then_three_allowances(town):
    """Wendy alone at window 1 (老年综合津贴 weighs 2, 居住证 1); 李阿姨 takes a 居住证 ticket at
    10:00 and asks for the text near the front; three 老年综合津贴 tickets follow."""
    town.hall.sms_position = 1
    town.hall.save()
    actions.sign_in(town.w1, town.wendy, now=minutes(0))
    li = actions.issue(
        town.hall,
        town.residence,
        holder_key=holder_key(phone=LI_PHONE),
        sms_phone=LI_PHONE,
        now=minutes(0),
    )
    allowances = [actions.issue(town.hall, town.allowance, now=minutes(n)) for n in (2, 4, 6)]
    return li, allowances


def ahead_on_page(client, ticket) -> str:
    page = client.get(f"/hall/place/{ticket.token}/", HTTP_ACCEPT_LANGUAGE="en")
    return page.content.decode()


@pytest.mark.django_db
def test_li_is_told_the_three_heavier_tickets_the_window_calls_first(client, town):
    with time_machine.travel(minutes(7), tick=False):
        li, allowances = li_then_three_allowances(town)
        assert "3 people ahead of you" in ahead_on_page(client, li)
        slip = client.get(f"/hall/ticket/{li.token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "3 people ahead of you" in slip
        # The last 老年综合津贴 ticket has the other two ahead, not 李阿姨 too.
        assert "2 people ahead of you" in ahead_on_page(client, allowances[-1])
    # Told at issue as well (the issue event keeps what the slip said).
    issued = TicketEvent.objects.get(ticket=allowances[-1], action=TicketAction.ISSUE)
    assert issued.payload["ahead"] == 2
    # And the window does call them first: three calls, then 李阿姨.
    called = []
    for _ in range(3):
        ticket = actions.call_next(town.w1, town.wendy, now=minutes(8))
        assert ticket is not None
        called.append(ticket.number)
        actions.start(ticket, town.wendy, now=minutes(8))
        actions.finish(ticket, town.wendy, now=minutes(8))
    assert called == [t.number for t in allowances]


@pytest.mark.django_db
def test_past_the_service_level_li_is_at_the_front(client, town):
    li, _ = li_then_three_allowances(town)
    assert town.hall.service_level_minutes == 20
    # 21 minutes: her ticket joins the window's first matters in its queue place (issue 17).
    with time_machine.travel(minutes(21), tick=False):
        assert "0 people ahead of you" in ahead_on_page(client, li)


@pytest.mark.django_db
def test_with_two_windows_open_what_either_calls_first_is_ahead(client, town):
    # Walt opens window 3 (both matters, one weight): 李阿姨 is first in his order, so the last
    # 老年综合津贴 ticket has her ahead as well as the two Wendy calls before it.
    actions.sign_in(town.w3, town.walt, now=minutes(0))
    _, allowances = li_then_three_allowances(town)
    with time_machine.travel(minutes(7), tick=False):
        assert "3 people ahead of you" in ahead_on_page(client, allowances[-1])


@pytest.mark.django_db(transaction=True)  # texts go out on commit
def test_li_is_texted_only_when_the_window_is_about_to_call_her(town, caplog):
    # Two 老年综合津贴 tickets before hers, two after; she is texted with one ahead of her.
    caplog.set_level(logging.INFO, logger="hotline.notify")
    town.hall.sms_position = 1
    town.hall.save()
    actions.sign_in(town.w1, town.wendy, now=minutes(0))
    before = [actions.issue(town.hall, town.allowance, now=minutes(n)) for n in (0, 1)]
    li = actions.issue(
        town.hall,
        town.residence,
        holder_key=holder_key(phone=LI_PHONE),
        sms_phone=LI_PHONE,
        now=minutes(2),
    )
    after = [actions.issue(town.hall, town.allowance, now=minutes(n)) for n in (3, 4)]

    def texts() -> list[str]:
        return [r.getMessage() for r in caplog.records if li.number in r.getMessage()]

    called = []
    for n in range(3):
        ticket = actions.call_next(town.w1, town.wendy, now=minutes(5 + n))
        assert ticket is not None
        called.append(ticket.number)
        if n < 2:
            # Two or three 老年综合津贴 tickets still go before hers (one was before, in issue
            # order, after the first call: she was texted then).
            assert texts() == [], called
        actions.start(ticket, town.wendy, now=minutes(5 + n))
        actions.finish(ticket, town.wendy, now=minutes(5 + n))
    assert called == [t.number for t in [*before, after[0]]]
    assert len(texts()) == 1 and "hall_near_front" in texts()[0]


@pytest.mark.django_db
def test_a_ticket_transferred_to_walt_is_his_next_call(client, town):
    # Wendy serves 王先生's 居住证 ticket out of order, then sends him to Walt's window 2: Walt
    # calls a ticket transferred to him before his queue, so nobody is ahead of 王先生.
    actions.sign_in(town.w1, town.wendy, now=minutes(0))
    actions.sign_in(town.w2, town.walt, now=minutes(0))
    _first, second, wang = [
        actions.issue(town.hall, town.residence, now=minutes(n)) for n in (1, 2, 3)
    ]
    actions.call_ticket(town.w1, town.wendy, wang, reason="预约改期", now=minutes(4))
    actions.transfer(wang, town.wendy, window=town.w2, reason="需核验原件", now=minutes(5))
    with time_machine.travel(minutes(6), tick=False):
        assert "0 people ahead of you" in ahead_on_page(client, wang)
        # A002: A001 at either window, and 王先生 whom Walt calls first.
        assert "2 people ahead of you" in ahead_on_page(client, second)
    called = actions.call_next(town.w2, town.walt, now=minutes(7))
    assert called is not None and called.number == wang.number
