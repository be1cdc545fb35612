"""A deadline rule may set no first-contact deadline (``first_contact = 0``: "zero means no
deadline", hotline.sla.deadlines.Terms). Its rounds have no first-contact deadline to fall in any
period, so they are not in 先行联系率's population — as the event-by-event round builder has it;
``rounds.populations`` counted every such round that started in the period and had not ended
(its range of starts for a term of 0 was the whole period). Their reply deadlines still count.
"""

from __future__ import annotations

from hotline.org import demo
from hotline.sla.models import DeadlineRule
from tests.assessment.test_s28_rounds_counted_in_sql import assert_same, event_by_event
from tests.conftest import at


def test_rounds_under_a_rule_without_a_first_contact_deadline_are_not_in_its_population(db):
    demo.load_district()
    DeadlineRule.objects.update(first_contact=0)
    from hotline.orders import demo as demo_orders

    demo_orders.load_orders(count=150, end=at("2026-12-02 12:00"))
    seen = assert_same("2026-10", 2)
    assert seen["reply", True] > 20, seen
    november = event_by_event(at("2026-11-01 00:00"), at("2026-12-01 00:00"))
    assert november and all(kpi == "reply" for _order, _unit, kpi, _met in november)
