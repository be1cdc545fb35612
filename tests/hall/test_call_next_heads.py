"""Call-next reads only the heads of the queue when the window has one tier: the first N of its
order are exactly the first N of the whole queue's order, for every fairness rule, and a call
whose first candidates are all being taken by other windows goes on to the rest."""

from __future__ import annotations

import datetime as dt
import random
import threading

import pytest
from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone

from hotline import clock
from hotline.hall import snapshot
from hotline.hall.actions import windows as window_actions
from hotline.hall.models import Priority, Ticket, TicketState, Window, WindowMatter
from hotline.hall.queue import INTERLEAVE, STRICT, TIME_WEIGHTED

pytestmark = pytest.mark.django_db


def whole_queue_order(window: Window, day: dt.date) -> list[int]:
    """The window's calling order as call-next computed it before reading only the heads:
    the whole queue in the rule's order, then a ticket sent to this window first and its
    heaviest matters next (a stable sort), a ticket past the service level among the heaviest
    (h5's M8, session 24)."""
    weights = dict(WindowMatter.objects.filter(window=window).values_list("matter_id", "weight"))
    top = max(weights.values(), default=0)
    overdue = clock.now() - dt.timedelta(minutes=window.hall.service_level_minutes)
    waiting = snapshot.light(
        Ticket.objects.filter(
            hall_id=window.hall_id, day=day, state=TicketState.WAITING, matter_id__in=weights
        ).filter(Q(target_window__isnull=True) | Q(target_window=window))
    )
    ordered = snapshot.ordered(window.hall, waiting, day)
    ranked = sorted(
        ordered,
        key=lambda t: (
            t.target_window_id != window.pk,
            -(top if t.queued_at < overdue else weights.get(t.matter_id, 0)),
        ),
    )
    return [t.pk for t in ranked]


def fill_queue(town, rng: random.Random, day: dt.date) -> None:
    """A random morning queue of both matters: some priority visitors of every class, arrival
    times on whole minutes (so ties happen), a few tickets sent to window 3 or 2."""
    start = timezone.localtime(clock.now()).replace(hour=8, minute=30, second=0, microsecond=0)
    share = rng.choice([0.0, 0.1, 0.4, 0.9])
    classes = [p for p in Priority.values if p != Priority.REGULAR]
    sent = rng.choice([0.0, 0.0, 0.1])
    tickets = []
    for n in range(rng.randrange(0, 90)):
        target = None
        if rng.random() < sent:
            target = rng.choice([town.w2, town.w3])
        queued = start + dt.timedelta(minutes=rng.randrange(60))
        tickets.append(
            Ticket(
                hall=town.hall,
                day=day,
                number=f"A{n:03d}",
                matter=rng.choice([town.residence, town.allowance]),
                priority=rng.choice(classes) if rng.random() < share else Priority.REGULAR,
                source="kiosk",
                token=f"heads-{n}",
                target_window=target,
                issued_at=queued,
                queued_at=queued,
            )
        )
    Ticket.objects.bulk_create(tickets)


@pytest.mark.parametrize("seed", range(24))
def test_the_heads_give_the_same_first_candidates_as_the_whole_queue(town, seed):
    rng = random.Random(seed)
    day = timezone.localtime(clock.now()).date()
    town.hall.fairness = rng.choice([STRICT, INTERLEAVE, TIME_WEIGHTED])
    town.hall.interleave_priority = rng.randrange(1, 4)
    town.hall.interleave_regular = rng.randrange(1, 4)
    town.hall.priority_boost_minutes = rng.choice([0, 5, 15, 90])
    # Queued 08:30-09:29, called from 10:00: 45 minutes makes those before about 09:15
    # overdue (they join window 1's heaviest tier), 600 none.
    town.hall.service_level_minutes = rng.choice([45, 600])
    town.hall.save()
    fill_queue(town, rng, day)
    # Window 1 weighs its matters 1 and 2 (two tiers: the whole queue is read); windows 2 and
    # 3 have one tier unless a ticket was sent to them.
    for window in (town.w1, town.w2, town.w3):
        window = Window.objects.select_related("hall").get(pk=window.pk)
        expected = whole_queue_order(window, day)
        for first in (1, 3, 8, 64):
            got, complete = window_actions._candidates(window, day, first=first)
            assert got[:first] == expected[:first], (window.number, first)
            if complete:
                assert got == expected
            else:
                assert len(got) == first <= len(expected)
        assert window_actions._candidates(window, day) == (expected, True)


def test_a_specialist_window_reads_the_heads_only(town):
    """Window 2 serves one matter: of a queue of dozens, the first three of each priority class
    are read, and the window's first three come out as from the whole queue."""
    rng = random.Random(7)
    day = timezone.localtime(clock.now()).date()
    fill_queue(town, rng, day)
    Ticket.objects.filter(target_window__isnull=False).update(target_window=None)
    window = Window.objects.select_related("hall").get(pk=town.w2.pk)
    waiting = Ticket.objects.filter(state=TicketState.WAITING, matter=town.residence)
    heads = window_actions._heads(waiting, 3)
    classes = set(waiting.values_list("priority", flat=True))
    assert waiting.count() > 20 and len(heads) <= 3 * len(classes)
    got, complete = window_actions._candidates(window, day, first=3)
    assert not complete
    assert got == whole_queue_order(window, day)[:3]


@pytest.mark.django_db(transaction=True)
def test_a_call_goes_past_first_candidates_other_windows_are_taking(town, monkeypatch):
    """PostgreSQL: another window holds the first two candidates (taking them, not committed
    yet); with a batch of two the call finds none free among the heads and takes the third."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks that others skip: PostgreSQL")
    from hotline.hall import actions

    monkeypatch.setattr(window_actions, "TAKE_BATCH", 2)
    tickets = [actions.issue(town.hall, town.residence) for _ in range(4)]
    actions.sign_in(town.w2, town.walt)
    held, release, done = threading.Event(), threading.Event(), threading.Event()

    def other_window() -> None:
        # A second connection: this thread's own, as another web worker's would be.
        try:
            with connections["default"].cursor():
                pass
            from django.db import transaction

            with transaction.atomic():
                list(Ticket.objects.select_for_update().filter(pk__in=[t.pk for t in tickets[:2]]))
                held.set()
                release.wait(10)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=other_window)
    thread.start()
    try:
        assert held.wait(10)
        window = Window.objects.select_related("hall").get(pk=town.w2.pk)
        called = actions.call_next(window, town.walt)
    finally:
        release.set()
        thread.join()
    assert called is not None and called.pk == tickets[2].pk
    assert Ticket.objects.get(pk=tickets[0].pk).state == TicketState.WAITING
