"""My place remembers its estimate while nothing in the hall moves (session 27).

李四's phone polls his "my place" page every 10 seconds, as every waiting citizen's does, and
each poll replayed the whole wait estimate (on a day with history, 50 plays of the rest of the
day: ~75 ms a poll at a busy hour) for the range the poll before had shown. The page now
computes it once per state of the hall and minute: the polls that follow in the same minute
with nothing happened get the same range without replaying; a ticket event (an issue, a call),
a window opening, a booking made or the minute turning gives a fresh range at the next poll,
the same a page nobody had polled would show. One hall's ranges are never another's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from hotline.hall import actions, estimate, snapshot
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Priority, Ticket
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
#: The estimate itself, for the range a page nobody had polled would show.
COMPUTE = estimate.for_waiting


@pytest.fixture
def replays(monkeypatch):
    """Each estimate computed, by ticket number (an issue's is the new ticket's, unnumbered
    then)."""
    made: list[str] = []

    def counted(hall, ticket, *rest, **named):
        made.append(ticket.number)
        return COMPUTE(hall, ticket, *rest, **named)

    monkeypatch.setattr(estimate, "for_waiting", counted)
    return made


@pytest.fixture
def morning(town):
    """Thursday 10:00, the clock stopped: Walt at window 2 is serving 王五, and five 居住证
    tickets wait, 李四's the fourth."""
    with time_machine.travel(at("2023-03-09 10:00"), tick=False) as clock:
        actions.sign_in(town.w2, town.walt)
        first = actions.issue(town.hall, town.residence)  # 王五
        actions.call_next(town.w2, town.walt)
        actions.start(first, town.walt)
        waiting = [actions.issue(town.hall, town.residence) for _ in range(5)]
        yield clock, waiting[3]


def shown(client, ticket: Ticket) -> tuple[int, int] | None:
    page = client.get(f"/hall/place/{ticket.token}/", **HTMX, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    if "Estimated wait under a minute" in text:
        return 0, 0
    found = re.search(r"Estimated wait (\d+)–(\d+) minutes", text)
    assert found, text
    return int(found[1]), int(found[2])


def afresh(ticket: Ticket) -> tuple[int, int]:
    """The range a page nobody had polled would show now."""
    from django.utils import timezone

    ticket.refresh_from_db()
    order = snapshot.waiting_order(ticket.hall, ticket.day)
    ahead = snapshot.position_of(ticket.hall, ticket, order, now=timezone.now())
    return COMPUTE(ticket.hall, ticket, ahead, timezone.now(), order)


def test_polls_in_the_same_minute_on_the_same_hall_replay_nothing(client, morning, replays):
    clock, lisi = morning
    clock.move_to(at("2023-03-09 10:00:05"))
    first = shown(client, lisi)
    clock.move_to(at("2023-03-09 10:00:15"))
    assert shown(client, lisi) == first
    clock.move_to(at("2023-03-09 10:00:55"))
    assert shown(client, lisi) == first
    assert replays == [lisi.number]


def test_a_ticket_event_gives_the_fresh_range_at_the_next_poll(client, town, morning, replays):
    clock, lisi = morning
    clock.move_to(at("2023-03-09 10:00:05"))
    before = shown(client, lisi)
    # 赵老伯 (elderly) takes a ticket: he goes ahead of 李四.
    clock.move_to(at("2023-03-09 10:00:10"))
    actions.issue(town.hall, town.residence, priority=Priority.ELDERLY)
    clock.move_to(at("2023-03-09 10:00:15"))
    after_issue = shown(client, lisi)
    assert after_issue == afresh(lisi) and after_issue != before
    # Walt finishes 王五 and calls the next: 李四 moves up.
    clock.move_to(at("2023-03-09 10:00:30"))
    serving = Ticket.objects.get(hall=town.hall, state="serving")
    actions.finish(serving, town.walt)
    actions.call_next(town.w2, town.walt)
    clock.move_to(at("2023-03-09 10:00:35"))
    after_call = shown(client, lisi)
    assert after_call == afresh(lisi) and after_call != after_issue
    assert replays.count(lisi.number) == 3


def test_a_window_opening_gives_the_fresh_range_at_the_next_poll(client, town, morning, replays):
    clock, lisi = morning
    clock.move_to(at("2023-03-09 10:00:05"))
    before = shown(client, lisi)
    clock.move_to(at("2023-03-09 10:00:10"))
    actions.sign_in(town.w3, town.wendy)  # Wendy opens window 3, which serves 居住证 too
    clock.move_to(at("2023-03-09 10:00:15"))
    after = shown(client, lisi)
    assert after == afresh(lisi) and after[1] < before[1]
    assert replays.count(lisi.number) == 2


def test_a_booking_made_gives_the_fresh_range_at_the_next_poll(client, town, morning, replays):
    clock, lisi = morning
    (slot,) = booking.open_slots(
        town.hall, town.residence, dt.date(2023, 3, 9),
        starts=dt.time(10, 30), ends=dt.time(11), minutes=30, capacity=5,
    )  # fmt: skip
    clock.move_to(at("2023-03-09 10:00:05"))
    shown(client, lisi)
    clock.move_to(at("2023-03-09 10:00:10"))
    booking.book(slot, holder_key=holder_key(phone="13912345678"), holder_name="张三")
    clock.move_to(at("2023-03-09 10:00:15"))
    assert shown(client, lisi) == afresh(lisi)
    assert replays.count(lisi.number) == 2


def test_the_minute_turning_gives_a_fresh_range(client, morning, replays):
    clock, lisi = morning
    clock.move_to(at("2023-03-09 10:00:55"))
    shown(client, lisi)
    clock.move_to(at("2023-03-09 10:01:05"))
    assert shown(client, lisi) == afresh(lisi)
    assert replays == [lisi.number, lisi.number]


def test_one_halls_ranges_are_never_anothers(client, district, town, replays):
    jnl = make_hall(district, "jnl")
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        for hall, before in ((town, 1), (jnl, 5)):
            actions.sign_in(hall.w2, hall.walt)
            for _ in range(before):
                actions.issue(hall.hall, hall.residence)
        here = actions.issue(town.hall, town.residence)  # one ahead at dnl
        there = actions.issue(jnl.hall, jnl.residence)  # five ahead at jnl
        replays.clear()
        assert shown(client, here) == afresh(here)
        assert shown(client, there) == afresh(there) != afresh(here)
        assert shown(client, here) == afresh(here)
        assert replays == [here.number, there.number]
