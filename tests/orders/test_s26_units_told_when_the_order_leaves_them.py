"""Who is told when an order leaves a unit (二级派单; walk-through, session 26, M3).

Una's street 江宁路街道 assigns orders to Nina's 三和花园居委会 (or to 海防村居委会);
Dan at the centre redispatches and decides returns; Sam reopens. A unit the order is taken
from hears that it left it, once, in words of its own ("工单已转至其他单位，不再由您办理。"),
and the street hears of a reopen at its 居委会, since the centre deals with the street.
Nobody is told twice.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from hotline.orders import actions
from hotline.orders.models import State
from hotline.org.models import Unit, UnitKind
from tests.orders.factory import order_in

#: The domain tests read English (tests/orders/conftest.py); a zh-Hans notice says
#: "工单已转至其他单位，不再由您办理。" (checked below).
LEFT = "The order has been sent to another unit and is no longer yours."


@pytest.fixture
def haifang(district) -> Unit:
    """A second 居委会 under Una's street."""
    return Unit.objects.create(
        code="jnl-02", name="海防村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=district.street
    )


@pytest.fixture
def told(caplog, django_capture_on_commit_callbacks):
    """Runs a step and gives back who was told what: ``(unit, action, left)`` per notice, where
    ``left`` says the notice tells the unit the order is no longer its."""

    def run(step) -> list[tuple[str, str, bool]]:
        caplog.clear()
        with (
            caplog.at_level("INFO", logger="hotline.notify"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            step()
        notices = []
        for record in caplog.records:
            if record.name != "hotline.notify":
                continue
            unit, action, _number, text = record.args
            notices.append((unit, action, LEFT in text))
        return sorted(notices)

    return run


def test_the_street_whose_return_is_approved_is_told_the_order_left_it(district, told):
    d = district
    order = order_in(State.RETURNED, d)

    notices = told(lambda: actions.approve_return(order, d.dan, lead_unit=d.bureau))

    assert notices == [
        ("区民政局", "approve_return", False),
        ("江宁路街道", "approve_return", True),
    ]


def test_an_approved_return_tells_the_street_that_asked_and_the_neighbourhood_that_held_it(
    district, told
):
    # Una asked to give back an order Nina's 居委会 held: only Victor's bureau heard of the
    # approval; the street waited on, and the 居委会 worked on an order that was no longer theirs.
    d = district
    order = order_in(State.RETURNED, d, inside=d.neighbourhood)

    notices = told(lambda: actions.approve_return(order, d.dan, lead_unit=d.bureau))

    assert notices == [
        ("三和花园居委会", "approve_return", True),
        ("区民政局", "approve_return", False),
        ("江宁路街道", "approve_return", True),
    ]


def test_a_redispatch_tells_the_previous_street_and_its_neighbourhood(district, told):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)

    notices = told(lambda: actions.redispatch(order, d.dan, lead_unit=d.bureau, reason="属民政"))

    assert notices == [
        ("三和花园居委会", "redispatch", True),
        ("区民政局", "redispatch", False),
        ("江宁路街道", "redispatch", True),
    ]


def test_a_redispatch_to_a_sub_unit_elsewhere_tells_each_unit_once(district, told):
    d = district
    section = Unit.objects.create(
        code="mzj-sz", name="区民政局社会救助科", kind=UnitKind.OTHER, parent=d.bureau
    )
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)

    notices = told(lambda: actions.redispatch(order, d.dan, lead_unit=section, reason="属救助"))

    assert notices == [
        ("三和花园居委会", "redispatch", True),
        ("区民政局", "redispatch", False),
        ("区民政局社会救助科", "assign_inside", False),
        ("江宁路街道", "redispatch", True),
    ]


def test_the_neighbourhood_taken_off_an_order_is_told_and_the_one_given_it(district, haifang, told):
    # Una reassigned the order from 三和花园 to 海防村: 三和花园, told an hour before that it had
    # the order, was not told it was taken back.
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)

    notices = told(lambda: actions.assign_inside(order, d.una, unit=haifang, note="海防村辖区"))

    assert notices == [
        ("三和花园居委会", "assign_inside", True),
        ("海防村居委会", "assign_inside", False),
    ]


def test_a_neighbourhood_passing_the_order_further_down_is_not_told_it_left_it(district, told):
    d = district
    building = Unit.objects.create(
        code="jnl-01-1", name="三和花园1号楼楼组", kind=UnitKind.OTHER, parent=d.neighbourhood
    )
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)

    notices = told(lambda: actions.assign_inside(order, d.nina, unit=building))

    assert notices == [("三和花园1号楼楼组", "assign_inside", False)]


def test_the_street_is_told_of_a_reopen_at_its_neighbourhood(district, told):
    d = district
    inside = order_in(State.REVIEWED, d, inside=d.neighbourhood)
    plain = order_in(State.REVIEWED, d)

    notices = told(lambda: actions.reopen(inside, d.sam, reason="市民反映路灯仍不亮"))
    assert notices == [("三和花园居委会", "reopen", False), ("江宁路街道", "reopen", False)]

    assert told(lambda: actions.reopen(plain, d.sam, reason="市民不满意")) == [
        ("江宁路街道", "reopen", False)
    ]


def test_the_notice_reads_in_chinese(district, haifang, caplog, django_capture_on_commit_callbacks):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    with (
        translation.override("zh-hans"),
        caplog.at_level("INFO", logger="hotline.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.assign_inside(order, d.una, unit=haifang)
    texts = {r.args[0]: r.args[3] for r in caplog.records if r.name == "hotline.notify"}
    assert texts["三和花园居委会"] == (
        f"{order.number} 路灯不亮：二级派单。工单已转至其他单位，不再由您办理。"
    )
