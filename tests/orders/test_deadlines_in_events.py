"""An event that starts a unit's handling round records the deadlines it set, so the KPIs judge the
round against the deadlines in force when it started — not against the policy as an administrator
changed it later (docs/kpis.md: 先行联系率 and 按时办结率 over rounds).

Una's street gets a broken street light on Monday 6 March 2023 under the 求助投诉 policy (first
contact 1 working day, reply 5). Weeks later Ada gives such orders 3 and 15 working days.
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings

from hotline.assessment.rounds import rounds
from hotline.orders import actions
from hotline.orders.models import Action, ContactWay, ReplyResult, Satisfaction, WorkOrder
from hotline.sla.models import DeadlineRule, Urgency
from tests.conftest import District, at
from tests.orders.factory import new_order

PERIOD = (at("2023-03-01 00:00"), at("2023-06-01 00:00"))


def ada_lengthens_the_policy(d: District) -> None:
    DeadlineRule.objects.filter(policy=d.policy, urgency=Urgency.NORMAL).update(
        first_contact=3, reply=15
    )


def the_rounds_of(order: WorkOrder) -> list[tuple[object, object]]:
    return [(r.contact_due, r.reply_due) for r in rounds(*PERIOD, order_ids=[order.pk])]


def dispatched_on_monday(d: District, *, handled: bool = False) -> WorkOrder:
    """The street light order, dispatched to Una's street on Monday at 10:00 (and, with
    ``handled``, signed for, contacted, replied and approved the same morning)."""
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        order = new_order(d)
        actions.dispatch(order, d.dan, lead_unit=d.street)
        if handled:
            handled_and_approved(order, d)
    return order


def handled_and_approved(order: WorkOrder, d: District) -> None:
    actions.accept(order, d.una)
    actions.first_contact(order, d.una, way=ContactWay.PHONE)
    actions.reply(order, d.una, result=ReplyResult.RESOLVED, text="已修复。")
    actions.approve_reply(order, d.dan)


def test_a_dispatch_records_the_deadlines_it_set(district: District) -> None:
    order = dispatched_on_monday(district)
    event = order.events.get(action=Action.DISPATCH)
    assert event.payload["first_contact_due"] == order.first_contact_due.isoformat()
    assert event.payload["reply_due"] == order.reply_due.isoformat()
    assert event.payload["accept_due"] == order.accept_due.isoformat()
    # Monday 10:00 + 1 working day / + 5 working days.
    assert order.first_contact_due == at("2023-03-07 10:00")
    assert order.reply_due == at("2023-03-13 10:00")


def test_a_dispatched_round_keeps_its_deadlines_after_the_policy_changes(
    district: District,
) -> None:
    order = dispatched_on_monday(district)
    ada_lengthens_the_policy(district)
    assert the_rounds_of(order) == [(at("2023-03-07 10:00"), at("2023-03-13 10:00"))]


def test_a_round_after_an_approved_return_keeps_its_deadlines(district: District) -> None:
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        order = new_order(district)
        actions.dispatch(order, district.dan, lead_unit=district.bureau)
        actions.request_return(order, district.victor, reason="路灯归街道管")
    with time_machine.travel(at("2023-03-07 09:00"), tick=False):
        event = actions.approve_return(order, district.dan, lead_unit=district.street)
    assert event.action == Action.APPROVE_RETURN
    ada_lengthens_the_policy(district)
    assert the_rounds_of(order) == [
        (at("2023-03-07 10:00"), at("2023-03-13 10:00")),
        (at("2023-03-08 09:00"), at("2023-03-14 09:00")),
    ]


def test_a_reopened_round_keeps_its_deadlines(district: District) -> None:
    order = dispatched_on_monday(district, handled=True)
    with time_machine.travel(at("2023-03-09 14:00"), tick=False):
        actions.reopen(order, district.sam, reason="市民反映仍不亮")
    ada_lengthens_the_policy(district)
    assert the_rounds_of(order)[1] == (at("2023-03-10 14:00"), at("2023-03-16 14:00"))
    assert order.reply_due == at("2023-03-16 14:00")


@override_settings(CALLBACK_DISSATISFIED="reopen")
def test_a_round_reopened_by_a_dissatisfied_callback_keeps_its_deadlines(
    district: District,
) -> None:
    order = dispatched_on_monday(district, handled=True)
    with time_machine.travel(at("2023-03-09 14:00"), tick=False):
        event = actions.callback(
            order, district.cathy, resolved=False, satisfaction=Satisfaction.DISSATISFIED
        )
    assert event.payload["reply_due"] == at("2023-03-16 14:00").isoformat()
    ada_lengthens_the_policy(district)
    assert the_rounds_of(order)[1] == (at("2023-03-10 14:00"), at("2023-03-16 14:00"))


@pytest.mark.parametrize("satisfaction", [Satisfaction.SATISFIED, Satisfaction.DISSATISFIED])
def test_a_callback_that_sets_no_deadline_records_none(
    district: District, satisfaction: str
) -> None:
    order = dispatched_on_monday(district, handled=True)
    # Under the default CALLBACK_DISSATISFIED the order waits for a dispatcher's decision.
    with time_machine.travel(at("2023-03-06 15:00"), tick=False):
        event = actions.callback(order, district.cathy, resolved=False, satisfaction=satisfaction)
    assert "reply_due" not in event.payload
    assert "first_contact_due" not in event.payload
