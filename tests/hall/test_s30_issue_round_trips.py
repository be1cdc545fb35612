"""A kiosk ticket's round trips (session 30).

Issuing a ticket read the hall five times before taking its number (the windows' links, the
queue with the busy windows, the interleave's recent calls, the recent window cycles, today's
bookings), each a round trip, and then held the numbering counter's row locked for three more
(the ticket, its event, the commit): on a loaded server every round trip waits for a core, and
every other kiosk printing the same letter waits on the lock. On PostgreSQL the first reads now
go in one request and the ticket and its event in one statement; SQLite, in process, reads and
writes as before. What the citizen is told and what is recorded do not change.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.hall import actions, snapshot
from hotline.hall.actions import appointments as booking
from hotline.hall.actions import tickets
from hotline.hall.identity import holder_key
from hotline.hall.models import Source, Ticket, TicketEvent
from tests.conftest import at

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"
WANG = "13912345678"


@pytest.fixture
def morning(town):
    """Thursday 10:00, the clock stopped: Walt at window 2 serves 王五, three 居住证 tickets wait,
    and 陈阿姨 has booked 居住证 at 10:30 today."""
    with time_machine.travel(at("2023-03-09 10:00"), tick=False) as clock:
        (slot,) = booking.open_slots(
            town.hall, town.residence, dt.date(2023, 3, 9),
            starts=dt.time(10, 30), ends=dt.time(11), minutes=30, capacity=5,
        )  # fmt: skip
        booking.book(slot, holder_key=holder_key(phone="13900000001"), holder_name="陈阿姨")
        actions.sign_in(town.w2, town.walt)
        wangwu = actions.issue(town.hall, town.residence)
        actions.call_next(town.w2, town.walt)
        actions.start(wangwu, town.walt)
        for _ in range(3):
            actions.issue(town.hall, town.residence)
        yield clock


def statements_of(work) -> list[str]:
    """The statements ``work()`` sent, without the test's savepoints."""
    with CaptureQueriesContext(connection) as queries:
        work()
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    ]


def counter_at(statements: list[str]) -> int:
    (at_,) = [i for i, sql in enumerate(statements) if "INSERT INTO hall_ticketcounter" in sql]
    return at_


def test_li_si_s_ticket_holds_the_counter_for_one_statement(town, morning):
    given: list[Ticket] = []
    statements = statements_of(lambda: given.append(actions.issue(town.hall, town.residence)))
    after_number = statements[counter_at(statements) + 1 :]
    if ON_POSTGRES:
        # The ticket and its issue event in one statement, then the commit.
        assert len(after_number) == 1, after_number
    else:
        assert len(after_number) == 2, after_number
    (lisi,) = given
    assert lisi.number == "A005"
    stored = Ticket.objects.get(pk=lisi.pk)
    assert (stored.number, stored.token, stored.queued_at) == (
        "A005",
        lisi.token,
        at("2023-03-09 10:00"),
    )
    (issued,) = TicketEvent.objects.filter(ticket=stored)
    assert (issued.seq, issued.action, issued.to_state, issued.matter_id) == (
        0,
        "issue",
        "waiting",
        town.residence.pk,
    )
    assert issued.at == stored.issued_at and issued.payload["ahead"] == 3
    assert issued.payload["source"] == Source.KIOSK
    assert (stored.estimate_low, stored.estimate_high) == (
        issued.payload["estimate"][0],
        issued.payload["estimate"][1],
    )
    # The returned ticket is the stored one: staff can act on it as on any other.
    assert not lisi._state.adding
    actions.cancel(lisi, actor=town.walt, reason="走错大厅")
    assert Ticket.objects.get(pk=lisi.pk).state == "cancelled"


def test_the_reads_before_the_number_take_one_round_trip_on_postgres(town, morning):
    statements = statements_of(lambda: actions.issue(town.hall, town.residence))
    before_number = statements[: counter_at(statements)]
    if ON_POSTGRES:
        # The windows, the queue with the busy windows, the recent calls, the recent window
        # cycles and today's bookings, in one request.
        assert len(before_number) == 1, before_number
    else:
        assert len(before_number) >= 4, before_number


def _reads(town, day: dt.date, matters: list[int]) -> tuple[object, ...]:
    since, until = at("2023-02-23 10:00"), at("2023-03-09 10:00")
    return (
        snapshot.serving(town.hall),
        snapshot.queue_and_busy(town.hall, day),
        snapshot.recent_lanes(town.hall, day),
        snapshot.booked_today(town.hall, day),
        snapshot.cycle_events(town.hall, matters, CYCLE_ACTIONS, since, until, 120 * len(matters)),
    )


CYCLE_ACTIONS = ("call", "recall", "call_back", "finish", "no_show")


@pytest.mark.parametrize(
    ("matters", "read_ahead"), [("residence", 120), ("both", 120), ("residence", 0)]
)
def test_reads_made_together_answer_as_each_alone(town, morning, matters, read_ahead):
    """``read_ahead``: the recent cycles read ahead per matter; with none read ahead, too few
    to answer the estimate's read, it reads its own."""
    day = dt.date(2023, 3, 9)
    wanted = [town.residence.pk] + ([town.allowance.pk] if matters == "both" else [])
    alone = _reads(town, day, wanted)
    cycles = (CYCLE_ACTIONS, at("2023-02-23 10:00"), at("2023-03-09 10:00"), read_ahead)
    with (
        snapshot.read_together(town.hall, day, cycles),
        CaptureQueriesContext(connection) as inside,
    ):
        together = _reads(town, day, wanted)
    assert together == alone
    assert alone[4], "王五's call is a recent cycle's start"
    if ON_POSTGRES:
        # Every one answered from the request before, but the cycles none were read ahead of.
        assert len(inside.captured_queries) == (0 if read_ahead else 1)
    assert len(alone[1][0]) == 3 and len(alone[1][1]) == 1 and len(alone[3]) == 1
    # Outside the block a read is made again: it sees the ticket issued since.
    actions.issue(town.hall, town.residence)
    assert len(snapshot.queue_and_busy(town.hall, day)[0]) == 4


def test_zhang_s_second_ticket_is_still_refused_by_the_database(town, morning, monkeypatch):
    """The one-active-ticket rule the database keeps (a second kiosk racing the check) still
    answers "you already hold one" when the insert is one statement with its event."""
    zhang = holder_key(phone=WANG)
    proved = {"source": Source.PORTAL, "sms_phone": WANG, "holder_key": zhang}
    actions.issue(town.hall, town.residence, **proved)
    # The check before the number is passed over, as when two kiosks race: the insert refuses.
    monkeypatch.setattr(tickets, "held", lambda *a, **k: None)
    with pytest.raises(actions.InvalidInput):
        actions.issue(town.hall, town.residence, **proved)
    assert Ticket.objects.filter(holder_key=zhang).count() == 1
    assert not TicketEvent.objects.filter(ticket__holder_key=zhang).exclude(seq=0).exists()


def test_the_daily_cap_still_gives_the_number_back(town, morning):
    town.hall.daily_cap = 5
    town.hall.save()
    assert actions.issue(town.hall, town.residence).number == "A005"
    with pytest.raises(actions.CapReached):
        actions.issue(town.hall, town.residence)
    assert actions.issue(town.hall, town.allowance).number == "B001"
    assert Ticket.objects.filter(number__startswith="A").count() == 5
