"""Co-units (协办) hear of their orders (session 27, h9).

Dan dispatches 路灯不亮 to Una's street 江宁路街道 with Victor's 区民政局 as a co-unit. A co-unit
could open the order but was never told: not when named, not when a redispatch dropped it, not
when the order was merged, cancelled or closed, so its staff learned of it only by phone. Now
each of those reaches it through the same notify path as the lead unit's notices; and a note
Victor writes on the order reaches the street holding it.
"""

from __future__ import annotations

import pytest

from hotline.orders import actions
from hotline.orders.models import ContactWay, ReplyResult, Satisfaction
from hotline.org.models import PeerGroup, Role, Unit, UnitKind
from tests.conftest import make_user
from tests.orders.factory import new_order

CO_UNIT = "Your unit is a co-unit; the lead unit is 江宁路街道."
RELEASED = "The order no longer needs your unit as a co-unit."


@pytest.fixture
def told(caplog, django_capture_on_commit_callbacks):
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


@pytest.fixture
def housing(db):
    """区房管局, a second bureau, with Hao handling its orders."""
    unit = Unit.objects.create(
        code="fgj", name="区房管局", kind=UnitKind.BUREAU, peer_group=PeerGroup.BUREAUS
    )
    make_user("hao", unit, Role.UNIT_HANDLER)
    return unit


def with_co_unit(d):
    order = new_order(d)
    actions.dispatch(order, d.dan, lead_unit=d.street, co_units=[d.bureau])
    return order


def test_a_co_unit_named_at_dispatch_is_told_with_the_lead_unit(district, told):
    d = district
    order = new_order(d)

    notices = told(lambda: actions.dispatch(order, d.dan, lead_unit=d.street, co_units=[d.bureau]))

    assert [(u, a) for u, a, _t in notices] == [
        ("区民政局", "dispatch"),
        ("江宁路街道", "dispatch"),
    ]
    bureau_text = next(t for u, _a, t in notices if u == "区民政局")
    assert CO_UNIT in bureau_text
    assert order.number in bureau_text


def test_a_redispatch_tells_the_co_unit_named_and_the_one_dropped(district, told, housing):
    d = district
    order = with_co_unit(d)

    notices = told(
        lambda: actions.redispatch(
            order, d.dan, lead_unit=housing, co_units=[d.street], reason="属房管局管理"
        )
    )

    by_unit = {u: t for u, _a, t in notices}
    assert "co-unit; the lead unit is 区房管局" in by_unit["江宁路街道"]
    assert RELEASED in by_unit["区民政局"]
    assert "co-unit" not in by_unit["区房管局"]


def test_a_co_unit_kept_by_a_redispatch_hears_the_new_lead_unit(district, told, housing):
    d = district
    order = with_co_unit(d)

    notices = told(
        lambda: actions.redispatch(
            order, d.dan, lead_unit=housing, co_units=[d.bureau], reason="属房管局管理"
        )
    )

    by_unit = {u: t for u, _a, t in notices}
    assert "co-unit; the lead unit is 区房管局" in by_unit["区民政局"]
    assert "no longer yours" in by_unit["江宁路街道"]


@pytest.mark.parametrize("end", ["merge", "cancel"])
def test_a_merged_or_cancelled_order_releases_its_co_unit(district, told, end):
    d = district
    order = with_co_unit(d)
    if end == "merge":
        parent = new_order(d)
        step = lambda: actions.merge(order, d.dan, parent=parent)  # noqa: E731
    else:
        step = lambda: actions.cancel(order, d.sam, reason="重复来电")  # noqa: E731

    notices = told(step)

    by_unit = {u: t for u, _a, t in notices}
    assert RELEASED in by_unit["区民政局"]
    assert "no longer yours" in by_unit["江宁路街道"]


def test_a_closed_order_releases_its_co_unit(district, told):
    d = district
    order = with_co_unit(d)
    actions.accept(order, d.una)
    actions.first_contact(order, d.una, way=ContactWay.PHONE)
    actions.reply(order, d.una, result=ReplyResult.RESOLVED, text="已修复。")
    actions.approve_reply(order, d.dan)

    notices = told(
        lambda: actions.callback(order, d.cathy, resolved=True, satisfaction=Satisfaction.SATISFIED)
    )

    assert [(u, t) for u, _a, t in notices if RELEASED in t] == [
        ("区民政局", next(t for u, _a, t in notices if u == "区民政局"))
    ]


def test_the_co_units_note_reaches_the_street_holding_the_order(district, told):
    d = district
    order = with_co_unit(d)
    actions.accept(order, d.una)

    notices = told(lambda: actions.comment(order, d.victor, text="低保户名单已核对，见附件。"))

    assert [(u, a) for u, a, _t in notices] == [("江宁路街道", "comment")]
    assert "区民政局, a co-unit, wrote a note" in notices[0][2]
    assert "低保户" not in notices[0][2]  # the note itself stays on the order


def test_the_streets_own_comment_tells_nobody(district, told):
    d = district
    order = with_co_unit(d)

    assert told(lambda: actions.comment(order, d.una, text="已安排人员现场查看。")) == []
