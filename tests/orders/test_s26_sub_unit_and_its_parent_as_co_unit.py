"""Dan chooses 三和花园居委会 as lead unit and names its street, 江宁路街道, as co-unit: refused as
"主办单位不能同时是协办单位。", though he never chose the street as lead — the message did not say
that choosing the 居委会 sends the order to its street (walk-through, session 26, L3). It says so;
nothing is written."""

from __future__ import annotations

import pytest
from django.utils import translation

from hotline.orders import actions
from hotline.orders.models import State
from hotline.orders.rules import InvalidInput
from tests.orders.factory import order_in


def test_the_refusal_says_the_street_is_where_the_order_goes(district):
    d = district
    order = order_in(State.REGISTERED, d)
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as refused:
        actions.dispatch(order, d.dan, lead_unit=d.neighbourhood, co_units=[d.street])
    assert str(refused.value) == (
        "选择三和花园居委会即派往江宁路街道，由江宁路街道在内部分派：江宁路街道不能同时作为协办单位。"
    )
    order.refresh_from_db()
    assert order.state == State.REGISTERED and order.version == 1


def test_choosing_the_street_itself_still_says_the_plain_rule(district):
    d = district
    order = order_in(State.REGISTERED, d)
    with (
        translation.override("zh-hans"),
        pytest.raises(InvalidInput, match="主办单位不能同时是协办单位"),
    ):
        actions.dispatch(order, d.dan, lead_unit=d.street, co_units=[d.street])
