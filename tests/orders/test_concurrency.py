"""Two people acting on one order at the same moment, with real threads on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from hotline.orders import actions
from hotline.orders.models import DailyCounter, Event, State, WorkOrder
from hotline.orders.rules import ActionError, Conflict
from tests.orders.factory import new_order, order_in

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def race(*calls):
    """Load the order in each thread, wait until all have it, then act at once."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i, call):
        try:
            order = call[0]()
            barrier.wait()
            call[1](order)
            outcomes[i] = "ok"
        except ActionError as exc:
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.parametrize("repeat", range(5))
def test_accept_and_return_at_once_exactly_one_wins(district, repeat):
    order = order_in(State.DISPATCHED, district)

    def load():
        return WorkOrder.objects.get(pk=order.pk)

    outcomes = race(
        (load, lambda o: actions.accept(o, district.una)),
        (load, lambda o: actions.request_return(o, district.una, reason="不归我们")),
    )
    assert outcomes.count("ok") == 1
    loser = next(o for o in outcomes if o != "ok")
    assert isinstance(loser, Conflict)
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.events.count() == 3 and fresh.version == 3
    assert fresh.state in (State.ACCEPTED, State.RETURNED)


def test_two_dispatchers_dispatching_one_order_apply_it_once(district):
    order = new_order(district)

    def load():
        return WorkOrder.objects.get(pk=order.pk)

    outcomes = race(
        (load, lambda o: actions.dispatch(o, district.dan, lead_unit=district.street)),
        (load, lambda o: actions.dispatch(o, district.dan, lead_unit=district.bureau)),
    )
    assert outcomes.count("ok") == 1 and isinstance(
        next(o for o in outcomes if o != "ok"), Conflict
    )
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.events.filter(action="dispatch").count() == 1


def test_concurrent_registrations_get_distinct_numbers(district):
    numbers: list[str] = []
    barrier = threading.Barrier(4)

    def run():
        try:
            barrier.wait()
            for _ in range(5):
                numbers.append(new_order(district).number)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(numbers) == 20 and len(set(numbers)) == 20
    # Drawn ahead of each registration's transaction (no transaction is open here), yet none is
    # skipped when none fails.
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 21))


def _counter(day) -> int:
    return DailyCounter.objects.get(day=day).last


def test_number_is_drawn_before_the_registration_and_a_failure_leaves_a_gap(district):
    first = new_order(district)
    day = first.registered_at.astimezone(timezone.get_current_timezone()).date()
    assert _counter(day) == 1

    def fail(order):
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        new_order(district, within=fail)
    assert WorkOrder.objects.count() == 1 and Event.objects.count() == 1  # nothing half-made
    assert _counter(day) == 2  # the drawn number is not given back
    assert new_order(district).number.endswith("-000003")


def test_inside_a_transaction_the_number_rolls_back_with_it(district):
    first = new_order(district)
    with pytest.raises(RuntimeError), transaction.atomic():
        new_order(district)
        raise RuntimeError("the caller's next step failed")
    assert new_order(district).number == first.number[:-6] + "000002"
