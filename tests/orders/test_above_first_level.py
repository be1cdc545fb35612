"""A unit above the first level (the district government) gets its own orders only.

Two-level dispatch (二级派单) gives a first-level unit (street, bureau, group company) its
sub-units' orders; it gives the district government above the streets nothing of theirs. In the
demo 静安区人民政府 is the parent of every street, bureau and company, of the hotline centre and
of both halls: with "every unit below" a handler there listed, signed for, replied to and revealed
the phone of every unit's orders, in that unit's name and KPIs.
"""

from __future__ import annotations

import pytest

from hotline.orders import actions
from hotline.orders.models import Action, State
from hotline.orders.rules import (
    NotAllowed,
    allowed_actions,
    assignable_unit_ids,
    can_view,
    check,
    may_reveal_phone,
    visible_orders,
)
from hotline.org.models import Role, Unit, UnitKind
from tests.conftest import make_user
from tests.orders.factory import new_order, order_in


@pytest.fixture
def government(district):
    """区人民政府 above the centre, the street and the bureau (as in the demo), with Gina, a
    handler there."""
    gov = Unit.objects.create(code="qzf", name="区人民政府", kind=UnitKind.DISTRICT_GOVERNMENT)
    Unit.objects.filter(pk__in=[district.centre.pk, district.street.pk, district.bureau.pk]).update(
        parent=gov
    )
    return gov, make_user("gina", gov, Role.UNIT_HANDLER)


def test_the_governments_handler_sees_only_orders_dispatched_to_the_government(
    district, government
):
    gov, gina = government
    street_order = order_in(State.ACCEPTED, district)
    inside = order_in(State.DISPATCHED, district, inside=district.neighbourhood)
    bureau_order = new_order(district)
    actions.dispatch(bureau_order, district.dan, lead_unit=district.bureau)
    own = new_order(district)
    actions.dispatch(own, district.dan, lead_unit=gov)

    assert list(visible_orders(gina)) == [own]
    for order in (street_order, inside, bureau_order):
        assert not can_view(gina, order)
    assert can_view(gina, own)


def test_the_governments_handler_acts_on_no_units_order_and_reveals_no_phone(district, government):
    _gov, gina = government
    for state in (State.DISPATCHED, State.ACCEPTED, State.REPLIED, State.CLOSED):
        order = order_in(state, district)
        assert allowed_actions(order, gina) == [], state
        assert not may_reveal_phone(gina, order), state
    dispatched = order_in(State.DISPATCHED, district)
    for action in (Action.ACCEPT, Action.RETURN, Action.APPEAL, Action.COMMENT):
        with pytest.raises(NotAllowed):
            check(dispatched, gina, action)
    with pytest.raises(NotAllowed):
        actions.accept(dispatched, gina)
    dispatched.refresh_from_db()
    assert dispatched.state == State.DISPATCHED
    accepted = order_in(State.ACCEPTED, district)
    with pytest.raises(NotAllowed):
        actions.request_return(accepted, gina, reason="不归本单位")
    inside = order_in(State.ACCEPTED, district, inside=district.neighbourhood)
    assert allowed_actions(inside, gina) == []
    assert not may_reveal_phone(gina, inside)


def test_the_governments_handler_works_its_own_order_and_passes_it_to_no_street(
    district, government
):
    gov, gina = government
    own = new_order(district)
    actions.dispatch(own, district.dan, lead_unit=gov)
    assert may_reveal_phone(gina, own)
    # Passing it to a street is the centre's dispatch (redispatch), not two-level dispatch.
    assert assignable_unit_ids(own, gina) == set()
    assert Action.ASSIGN_INSIDE not in allowed_actions(own, gina)
    actions.accept(own, gina)
    own.refresh_from_db()
    assert own.state == State.ACCEPTED


def test_a_street_still_works_its_neighbourhoods_orders_below_the_government(district, government):
    order = order_in(State.ACCEPTED, district, inside=district.neighbourhood)
    assert can_view(district.una, order) and can_view(district.nina, order)
    assert may_reveal_phone(district.una, order)
    assert Action.REPLY in allowed_actions(order, district.una)
    assert Action.REPLY in allowed_actions(order, district.nina)
    assert not can_view(district.victor, order)
    fresh = order_in(State.DISPATCHED, district)
    assert assignable_unit_ids(fresh, district.una) == {district.neighbourhood.pk}
