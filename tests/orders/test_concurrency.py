"""Two people acting on one order at the same moment, with real threads on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from hotline.orders import actions
from hotline.orders.models import DailyCounter, Event, State, WorkOrder
from hotline.orders.rules import ActionError, Conflict
from hotline.org.models import Unit, UnitKind
from tests.concurrency import in_threads, race
from tests.orders.factory import new_order, order_in

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def loaded_twice(order: WorkOrder) -> tuple[WorkOrder, WorkOrder]:
    """The order as two people read it before either acts: the same version in both."""
    return WorkOrder.objects.get(pk=order.pk), WorkOrder.objects.get(pk=order.pk)


@pytest.mark.parametrize("repeat", range(5))
def test_accept_and_return_at_once_exactly_one_wins(district, repeat):
    mine, theirs = loaded_twice(order_in(State.DISPATCHED, district))
    outcomes = race(
        lambda: actions.accept(mine, district.una),
        lambda: actions.request_return(theirs, district.una, reason="不归我们"),
        refused=ActionError,
    )
    assert outcomes.count("ok") == 1
    loser = next(o for o in outcomes if o != "ok")
    assert isinstance(loser, Conflict)
    fresh = WorkOrder.objects.get(pk=mine.pk)
    assert fresh.events.count() == 3 and fresh.version == 3
    assert fresh.state in (State.ACCEPTED, State.RETURNED)


def test_two_dispatchers_dispatching_one_order_apply_it_once(district):
    order = new_order(district)
    mine, theirs = loaded_twice(order)
    outcomes = race(
        lambda: actions.dispatch(mine, district.dan, lead_unit=district.street),
        lambda: actions.dispatch(theirs, district.dan, lead_unit=district.bureau),
        refused=ActionError,
    )
    assert outcomes.count("ok") == 1 and isinstance(
        next(o for o in outcomes if o != "ok"), Conflict
    )
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.events.filter(action="dispatch").count() == 1


def test_concurrent_registrations_get_distinct_numbers(district):
    numbers: list[str] = []

    def register(_i: int) -> None:
        for _ in range(5):
            numbers.append(new_order(district).number)

    assert in_threads(register, 4) == []
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


@pytest.mark.parametrize("repeat", range(3))
def test_the_street_reassigns_while_the_neighbourhood_hands_it_back_one_wins(district, repeat):
    # 二级派单 at once: Una passes the order on to 海防村 as Nina hands it back up. One of them
    # is told the order changed; the order is never both handed back and reassigned.
    haifang = Unit.objects.create(
        code="jnl-02", name="海防村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=district.street
    )
    order = order_in(State.ACCEPTED, district, inside=district.neighbourhood)
    mine, theirs = loaded_twice(order)
    outcomes = race(
        lambda: actions.assign_inside(mine, district.una, unit=haifang),
        lambda: actions.hand_back(theirs, district.una_nb, reason="不在本居委会辖区"),
        refused=ActionError,
    )
    assert outcomes.count("ok") == 1
    assert isinstance(next(o for o in outcomes if o != "ok"), Conflict)
    fresh = WorkOrder.objects.get(pk=order.pk)
    last = fresh.events.order_by("seq").last()
    assert fresh.version == last.seq and fresh.assigned_unit_id == last.assigned_unit_id
    assert fresh.assigned_unit_id in (haifang.pk, None)
