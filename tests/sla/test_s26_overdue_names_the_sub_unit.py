"""The SLA worker marks overdue an order the street assigned to Nina's 居委会 (二级派单): the mark
names the 居委会 holding it, like every other event, so the overdue counts for the 居委会 (and the
street above it through the roll-up) and the 居委会 that must act is told.

Walk-through, session 26 (h6, H1): mark_overdue wrote its event with the lead unit only, so every
sub-unit's 超期 on the dashboard and in the monthly report read 0 and the notice went to the street.
"""

from __future__ import annotations

import time_machine

from hotline.assessment import kpis
from hotline.orders.models import Action, Event, State
from hotline.sla import worker
from tests.conftest import at
from tests.orders.factory import order_in


def _overdue_at_the_neighbourhood(d):
    # Dispatched Monday 6 March 2023 10:00 (reply due Monday 13 March 10:00), assigned inside.
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    return order


def test_the_overdue_mark_names_the_neighbourhood_holding_the_order(district):
    d = district
    order = _overdue_at_the_neighbourhood(d)
    assert worker.run_once(at("2023-03-13 10:01"))["overdue"] == 1
    mark = Event.objects.get(order=order, action=Action.OVERDUE)
    assert (mark.unit, mark.assigned_unit) == (d.street, d.neighbourhood)


def test_the_neighbourhood_s_overdue_counts_for_it_and_for_the_street(district):
    d = district
    order = _overdue_at_the_neighbourhood(d)
    worker.run_once(at("2023-03-13 10:01"))
    period = (at("2023-03-01 00:00"), at("2023-04-01 00:00"))
    report = kpis.compute(*period)
    assert (report.unit("jnl-01").overdue, report.unit("jnl").overdue) == (1, 1)
    assert kpis.order_ids("overdue", d.neighbourhood, *period, part="numerator") == [order.pk]


def test_the_neighbourhood_is_told_its_order_is_overdue_and_the_street_too(
    district, caplog, django_capture_on_commit_callbacks
):
    d = district
    _overdue_at_the_neighbourhood(d)
    with (
        caplog.at_level("INFO", logger="hotline.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        worker.run_once(at("2023-03-13 10:01"))
    told = [
        r.getMessage().split(" [")[0]
        for r in caplog.records
        if r.name == "hotline.notify" and "[overdue]" in r.getMessage()
    ]
    # The 居委会 must act; the street, which the centre deals with, chases it.
    assert told == ["notify 三和花园居委会", "notify 江宁路街道"]
