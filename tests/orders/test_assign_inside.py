"""Assignment inside a unit (二级派单): Una's street assigns an order to Nina's 居委会 below it."""

from __future__ import annotations

import pytest

from hotline.orders import actions
from hotline.orders.models import Action, ContactWay, ReplyResult, State
from hotline.orders.rules import (
    InvalidInput,
    NotAllowed,
    allowed_actions,
    can_view,
    may_reveal_phone,
    visible_orders,
)
from hotline.org.models import Unit, UnitKind
from tests.orders.factory import order_in


@pytest.fixture
def haifang(district) -> Unit:
    """A second 居委会 under Una's street."""
    return Unit.objects.create(
        code="jnl-02", name="海防村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=district.street
    )


def test_the_street_assigns_and_the_neighbourhood_handles_it_to_the_reply(district):
    d = district
    order = order_in(State.DISPATCHED, d)
    due = order.reply_due
    assert not can_view(d.una_nb, order)

    event = actions.assign_inside(order, d.una, unit=d.neighbourhood, note="请三和花园居委会处理")

    assert (event.actor, event.action, event.reason) == (
        d.una,
        Action.ASSIGN_INSIDE,
        "请三和花园居委会处理",
    )
    assert event.payload == {"from_unit": "jnl", "to_unit": "jnl-01", "reassigned": False}
    assert (event.unit, event.assigned_unit) == (d.street, d.neighbourhood)
    assert order.state == State.DISPATCHED  # to the centre the street still has it
    assert list(visible_orders(d.una_nb)) == [order]
    assert may_reveal_phone(d.una_nb, order)
    actions.accept(order, d.una_nb)
    actions.first_contact(order, d.una_nb, way=ContactWay.VISIT)
    actions.reply(order, d.una_nb, result=ReplyResult.RESOLVED, text="路灯已修复。")
    order.refresh_from_db()
    assert order.state == State.REPLIED
    assert order.reply_due == due  # assigning inside does not restart the deadlines
    assert order.assigned_unit == d.neighbourhood
    # Every step of the sub-unit is attributed to it (KPIs roll it up to the street).
    assert set(order.events.filter(seq__gt=event.seq).values_list("assigned_unit", flat=True)) == {
        d.neighbourhood.pk
    }


def test_the_neighbourhood_cannot_return_to_the_centre_nor_ask_for_more_time(district):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    with pytest.raises(NotAllowed):
        actions.request_return(order, d.una_nb, reason="非本居委会职责")
    with pytest.raises(NotAllowed):
        actions.request_extension(order, d.una_nb, days=3, reason="需协调物业")
    offered = allowed_actions(order, d.una_nb)
    assert Action.HAND_BACK in offered and Action.RETURN not in offered
    # The street, above it, still deals with the centre.
    actions.request_return(order, d.una, reason="路灯属区绿化市容局管理")


def test_the_neighbourhood_hands_it_back_up_to_the_street(district):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    with pytest.raises(InvalidInput):
        actions.hand_back(order, d.una_nb, reason="  ")

    event = actions.hand_back(order, d.una_nb, reason="不属于本居委会辖区")

    assert event.payload == {"from_unit": "jnl-01", "to_unit": "jnl"}
    assert event.assigned_unit is None and event.reason == "不属于本居委会辖区"
    assert order.assigned_unit is None and order.state == State.ACCEPTED
    assert not can_view(d.una_nb, order)
    assert Action.ASSIGN_INSIDE in allowed_actions(order, d.una)


def test_the_street_hands_nothing_back_it_returns_to_the_centre(district):
    order = order_in(State.ACCEPTED, district, inside=district.neighbourhood)
    with pytest.raises(NotAllowed):
        actions.hand_back(order, district.una, reason="退回")


def test_the_street_reassigns_to_another_neighbourhood(district, haifang):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)

    event = actions.assign_inside(order, d.una, unit=haifang)

    assert event.payload == {"from_unit": "jnl-01", "to_unit": "jnl-02", "reassigned": True}
    assert not can_view(d.una_nb, order)
    with pytest.raises(InvalidInput, match="already assigned"):
        actions.assign_inside(order, d.una, unit=haifang)


def test_only_units_strictly_below_the_lead_unit_can_be_assigned(district, haifang):
    d = district
    order = order_in(State.DISPATCHED, d)
    for unit in (d.street, d.bureau, d.centre):
        with pytest.raises(InvalidInput):
            actions.assign_inside(order, d.una, unit=unit)
    haifang.active = False
    haifang.save()
    with pytest.raises(InvalidInput):
        actions.assign_inside(order, d.una, unit=haifang)
    with pytest.raises(InvalidInput):
        actions.assign_inside(order, d.una, unit=None)
    assert order.events.filter(action=Action.ASSIGN_INSIDE).count() == 0


def test_a_neighbourhood_cannot_pass_it_sideways(district, haifang):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    with pytest.raises(InvalidInput):
        actions.assign_inside(order, d.una_nb, unit=haifang)


def test_victor_of_another_unit_neither_sees_nor_assigns(district):
    d = district
    order = order_in(State.DISPATCHED, d)
    assert not can_view(d.victor, order)
    with pytest.raises(NotAllowed):
        actions.assign_inside(order, d.victor, unit=d.neighbourhood)


def test_a_redispatch_takes_the_order_away_from_the_neighbourhood(district):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    event = actions.redispatch(order, d.dan, lead_unit=d.bureau, reason="职责调整")
    assert order.assigned_unit is None and event.assigned_unit is None
    assert not can_view(d.una_nb, order)


def test_a_reopened_order_goes_back_to_the_neighbourhood_that_replied(district):
    d = district
    order = order_in(State.REOPENED, d, inside=d.neighbourhood)
    assert order.assigned_unit == d.neighbourhood
    assert Action.REPLY in allowed_actions(order, d.una_nb)


def test_the_neighbourhood_is_told_when_it_is_given_an_order_and_the_street_when_it_comes_back(
    district, caplog, django_capture_on_commit_callbacks
):
    d = district
    order = order_in(State.ACCEPTED, d)
    with (
        caplog.at_level("INFO", logger="hotline.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.assign_inside(order, d.una, unit=d.neighbourhood)
        actions.urge(order, d.sam, note="请尽快办理")
        actions.hand_back(order, d.nina, reason="不在本居委会辖区")
    told = [r.getMessage() for r in caplog.records if r.name == "hotline.notify"]
    # The centre's urge reaches the street too, which answers to it for the order (session 27).
    assert [m.split(" [")[0] for m in told] == [
        "notify 三和花园居委会",
        "notify 三和花园居委会",
        "notify 江宁路街道",
        "notify 江宁路街道",
    ]


def test_the_street_that_asked_for_more_time_hears_the_centres_decision(
    district, caplog, django_capture_on_commit_callbacks
):
    # The street asks the centre for an extension (the 居委会 cannot): the decision went only to
    # the 居委会 holding the order, and the street that asked never heard it.
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    actions.request_extension(order, d.una, days=3, reason="需协调物业维修")
    with (
        caplog.at_level("INFO", logger="hotline.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.approve_extension(order, d.dan)
        actions.request_extension(order, d.una, days=2, reason="配件未到")
        actions.reject_extension(order, d.dan, reason="已延期一次")
    told = [r.getMessage().split(" [")[0] for r in caplog.records if r.name == "hotline.notify"]
    assert sorted(told) == sorted(["notify 江宁路街道", "notify 三和花园居委会"] * 2)


def test_the_unit_whose_return_is_refused_is_told_to_carry_on(
    district, caplog, django_capture_on_commit_callbacks
):
    # The centre's refusal of a return was sent to nobody: the street waited on '等待中心处理'
    # while the order was back in its hands with its deadlines running.
    d = district
    plain = order_in(State.ACCEPTED, d)
    inside = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    for order in (plain, inside):
        actions.request_return(order, d.una, reason="路灯属区绿化市容局管理")
    with (
        caplog.at_level("INFO", logger="hotline.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.reject_return(plain, d.dan, reason="路灯属街道管理")
        actions.reject_return(inside, d.dan, reason="路灯属街道管理")
    told = [r.getMessage().split(" [")[0] for r in caplog.records if r.name == "hotline.notify"]
    assert sorted(told) == sorted(["notify 江宁路街道"] * 2 + ["notify 三和花园居委会"])
