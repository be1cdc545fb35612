"""Two people acting on one order at the same moment, with real threads on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from hotline.orders import actions
from hotline.orders.models import State, WorkOrder
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
