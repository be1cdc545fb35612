"""An overdue mark written before 3e258af counts for the 居委会 that held the order.

Until 3e258af (session 26) the SLA worker's mark named the lead unit only, so the marks already in
the log of orders Una's street had assigned to Nina's 三和花园居委会 counted for the street and
the 居委会's 超期 read 0. Events are append-only and are not rewritten: the KPIs read the holder
at the time of such a mark from the event before it (the order's version moves by one per
event, so the event before the mark says who held the order when it was marked).
"""

from __future__ import annotations

import time_machine
from django.db import transaction

from hotline.assessment import kpis
from hotline.orders import actions
from hotline.orders.models import Action, Event, State, WorkOrder
from hotline.sla import worker
from tests.conftest import at
from tests.orders.factory import order_in

MARCH = (at("2023-03-01 00:00"), at("2023-04-01 00:00"))


def _marked_as_before_3e258af(order: WorkOrder, when) -> Event:
    """The SLA worker's mark as it was written until 3e258af: the lead unit, no sub-unit."""
    order.refresh_from_db()
    with transaction.atomic():
        WorkOrder.objects.filter(pk=order.pk, version=order.version).update(
            overdue=True, version=order.version + 1, updated_at=when
        )
        return Event.objects.create(
            order=order,
            seq=order.version + 1,
            action=Action.OVERDUE,
            at=when,
            from_state=order.state,
            to_state=order.state,
            unit_id=order.lead_unit_id,
            payload={"reply_due": order.reply_due.isoformat()},
        )


def _orders(d):
    # Dispatched Monday 6 March 2023 10:00, reply due Monday 13 March 10:00.
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        inside = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
        plain = order_in(State.ACCEPTED, d)
    return inside, plain


def test_an_old_mark_counts_for_the_neighbourhood_that_held_the_order(district):
    d = district
    inside, _plain = _orders(d)
    old = _marked_as_before_3e258af(inside, at("2023-03-13 10:01"))
    assert old.assigned_unit is None  # as the log holds it, and keeps it

    report = kpis.compute(*MARCH)

    assert (report.unit("jnl-01").overdue, report.unit("jnl").overdue) == (1, 1)
    assert kpis.order_ids("overdue", d.neighbourhood, *MARCH) == [inside.pk]


def test_old_and_new_marks_count_alike_and_the_street_keeps_its_own(district):
    d = district
    inside, plain = _orders(d)
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        newer = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    _marked_as_before_3e258af(inside, at("2023-03-13 10:01"))
    _marked_as_before_3e258af(plain, at("2023-03-13 10:01"))
    assert worker.run_once(at("2023-03-13 10:02"))["overdue"] == 1  # `newer`, as marked today

    report = kpis.compute(*MARCH)

    assert (report.unit("jnl-01").overdue, report.unit("jnl").overdue) == (2, 3)
    assert kpis.order_ids("overdue", d.neighbourhood, *MARCH) == sorted([inside.pk, newer.pk])
    assert kpis.order_ids("overdue", d.street, *MARCH) == sorted([inside.pk, plain.pk, newer.pk])


def test_a_mark_after_the_order_came_back_up_counts_for_the_street(district):
    # Nina handed the order back up before it was marked: the street held it then.
    d = district
    inside, _plain = _orders(d)
    with time_machine.travel(at("2023-03-08 10:00"), tick=False):
        actions.hand_back(inside, d.nina, reason="不在本居委会辖区")
    _marked_as_before_3e258af(inside, at("2023-03-13 10:01"))

    report = kpis.compute(*MARCH)

    assert (report.unit("jnl-01").overdue, report.unit("jnl").overdue) == (0, 1)
