"""Who hears the centre's steps on an order a street assigned to its 居委会 (二级派单; session 27).

Una's street 江宁路街道 assigns orders to Nina's 三和花园居委会. Sam supervises, Dan dispatches,
merges and reviews replies. The centre deals with the street (product.md, two-level dispatch): it
hears the centre's urging, supervision and a reply sent back as well as the 居委会 doing the
work. An order merged or cancelled after dispatch tells whoever holds it that it is no longer
theirs, and why; an order still at the centre tells nobody.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from hotline.orders import actions
from hotline.orders.models import ReplyResult, State
from tests.orders.factory import new_order, order_in

NO_LONGER_YOURS = "is no longer yours."


@pytest.fixture
def told(caplog, django_capture_on_commit_callbacks):
    """Runs a step and gives back ``(unit, action, text)`` per notice, sorted."""

    def run(step) -> list[tuple[str, str, str]]:
        caplog.clear()
        with (
            caplog.at_level("INFO", logger="hotline.notify"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            step()
        return sorted(
            (r.args[0], r.args[1], r.args[3]) for r in caplog.records if r.name == "hotline.notify"
        )

    return run


def units(notices):
    return [(unit, action) for unit, action, _text in notices]


def test_the_street_hears_the_centre_urge_its_neighbourhood(district, told):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)

    notices = told(lambda: actions.urge(order, d.sam, note="市民再次来电催促"))

    assert units(notices) == [("三和花园居委会", "urge"), ("江宁路街道", "urge")]


def test_the_street_hears_of_a_supervision_of_its_neighbourhoods_order(district, told):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    due = order.reply_due + dt.timedelta(days=1)

    notices = told(lambda: actions.supervise(order, d.sam, due=due, note="列入督办"))

    assert units(notices) == [("三和花园居委会", "supervise"), ("江宁路街道", "supervise")]


def test_the_street_hears_that_its_neighbourhoods_reply_was_sent_back(district, told):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    actions.reply(order, d.nina, result=ReplyResult.RESOLVED, text="已联系物业修复。")

    notices = told(lambda: actions.reject_reply(order, d.dan, reason="未写明修复时间"))

    assert units(notices) == [("三和花园居委会", "reject_reply"), ("江宁路街道", "reject_reply")]


def test_a_street_holding_the_order_itself_is_told_once(district, told):
    d = district
    order = order_in(State.ACCEPTED, d)

    assert units(told(lambda: actions.urge(order, d.sam))) == [("江宁路街道", "urge")]


def test_merging_a_dispatched_order_tells_the_neighbourhood_and_the_street(district, told):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    parent = order_in(State.ACCEPTED, d)

    notices = told(lambda: actions.merge(order, d.dan, parent=parent, reason="同一路灯"))

    assert units(notices) == [("三和花园居委会", "merge"), ("江宁路街道", "merge")]
    for _unit, _action, text in notices:
        assert f"merged into {parent.number}" in text and NO_LONGER_YOURS in text


def test_cancelling_a_dispatched_order_tells_the_unit_holding_it(district, told):
    d = district
    inside = order_in(State.DISPATCHED, d, inside=d.neighbourhood)
    plain = order_in(State.ACCEPTED, d)

    notices = told(lambda: actions.cancel(inside, d.sam, reason="恶意来电"))
    assert units(notices) == [("三和花园居委会", "cancel"), ("江宁路街道", "cancel")]
    assert all("was cancelled and " + NO_LONGER_YOURS in text for *_u, text in notices)

    assert units(told(lambda: actions.cancel(plain, d.sam, reason="恶意来电"))) == [
        ("江宁路街道", "cancel")
    ]


def test_an_order_still_at_the_centre_tells_no_unit(district, told):
    d = district
    order = new_order(d)
    parent = new_order(d)

    assert told(lambda: actions.merge(order, d.dan, parent=parent)) == []
    assert told(lambda: actions.cancel(parent, d.sam, reason="重复来电")) == []


def test_the_notices_read_in_chinese(district, told):
    d = district
    merged = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    cancelled = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    parent = order_in(State.ACCEPTED, d)

    with translation.override("zh-hans"):
        merge = told(lambda: actions.merge(merged, d.dan, parent=parent))
        cancel = told(lambda: actions.cancel(cancelled, d.sam, reason="恶意来电"))

    assert merge[0][2] == (
        f"{merged.number} 路灯不亮：合并。工单已并入{parent.number}一并办理，本工单不再由您办理。"
    )
    assert cancel[0][2] == f"{cancelled.number} 路灯不亮：作废。工单已作废，不再由您办理。"
