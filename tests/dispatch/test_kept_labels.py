"""The unit that finally kept an order (issue 16 item 4) is the one that replied: an order still
before its reply may yet be returned, and one being returned is not the unit's at all. Training
and the corrections report read the same labels."""

from __future__ import annotations

from hotline.dispatch import services
from hotline.dispatch.models import Prediction
from hotline.orders import actions
from hotline.orders.models import ReplyResult
from tests.dispatch.history import register

NOISE = "小区楼下广场舞音响太吵，晚上十点后还在跳，影响休息。"


def sent_to_street(d):
    order = register(d, NOISE)
    actions.dispatch(order, d.dan, lead_unit=d.street)
    return order


def replied(d, order):
    actions.accept(order, d.una)
    actions.reply(order, d.una, result=ReplyResult.RESOLVED, text="已劝导")
    return order


def test_only_orders_the_unit_replied_to_are_labels(district):
    d = district
    dispatched = sent_to_street(d)
    accepted = sent_to_street(d)
    actions.accept(accepted, d.una)
    being_returned = sent_to_street(d)
    actions.accept(being_returned, d.una)
    actions.request_return(being_returned, d.una, reason="不属于本街道")
    waiting_review = replied(d, sent_to_street(d))
    reviewed = replied(d, sent_to_street(d))
    actions.approve_reply(reviewed, d.dan)
    closed = replied(d, sent_to_street(d))
    actions.approve_reply(closed, d.dan)
    actions.close(closed, d.dan)
    reopened = replied(d, sent_to_street(d))
    actions.approve_reply(reopened, d.dan)
    actions.reopen(reopened, d.sam, reason="市民不满意")
    # Replied, reopened, then sent elsewhere: open at the bureau, not kept by anyone yet.
    moved_on = replied(d, sent_to_street(d))
    actions.approve_reply(moved_on, d.dan)
    actions.reopen(moved_on, d.sam, reason="市民不满意")
    actions.redispatch(moved_on, d.dan, lead_unit=d.bureau, reason="属民政局职责")

    labels = services.final_units()

    assert labels == {
        waiting_review.pk: d.street.code,
        reviewed.pk: d.street.code,
        closed.pk: d.street.code,
        reopened.pk: d.street.code,
    }
    assert dispatched.pk not in labels and accepted.pk not in labels
    assert being_returned.pk not in labels and moved_on.pk not in labels


def test_the_corrections_report_compares_only_kept_orders(district):
    d = district
    kept = replied(d, sent_to_street(d))
    being_returned = sent_to_street(d)
    actions.request_return(being_returned, d.una, reason="不属于本街道")
    for order in (kept, being_returned):
        Prediction.objects.create(
            order=order, model_version="v1", top=[["jnl", 0.8]], confidence=0.4
        )

    found = services.report("v1")

    assert found["predictions"] == 2 and found["compared"] == 1 and found["accuracy"] == 1.0


def test_a_reopened_order_is_labelled_with_the_unit_that_replied(district):
    """Reopened to the street, which then assigned it to a 居委会 that has not replied: the
    label is the street that replied, not the 居委会 (found in review; it took the last holder)."""
    d = district
    order = replied(d, sent_to_street(d))
    actions.approve_reply(order, d.dan)
    actions.reopen(order, d.sam, reason="市民不满意")
    actions.assign_inside(order, d.una, unit=d.neighbourhood)
    assert services.final_units()[order.pk] == d.street.code


def test_a_reopened_order_handed_back_keeps_the_sub_unit_that_replied(district):
    d = district
    order = sent_to_street(d)
    actions.assign_inside(order, d.una, unit=d.neighbourhood)
    actions.accept(order, d.nina)
    actions.reply(order, d.nina, result=ReplyResult.RESOLVED, text="已劝导")
    actions.approve_reply(order, d.dan)
    actions.reopen(order, d.sam, reason="市民不满意")
    actions.hand_back(order, d.nina, reason="不在本居委会辖区")
    assert services.final_units()[order.pk] == d.neighbourhood.code
