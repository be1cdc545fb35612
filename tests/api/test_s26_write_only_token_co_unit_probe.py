"""A write-only token is not told where an order is by the co-unit refusal either (attack,
session 26, h5 F2; e12c3e7). The redispatch and the approved return checked "already with this
unit" before the co-units, so a body naming the probed unit as a co-unit too (or a sub-unit
as one) answered the neutral 409 where the order was and a 422 elsewhere, and changed nothing
either way: Dan's partner token (api:write, no api:read) read the
order's lead unit, order by order. Now the body is judged first, the same answer wherever the
order is."""

from __future__ import annotations

import pytest
import time_machine

from hotline.orders.models import State
from hotline.org.models import ApiToken
from tests.api.conftest import ApiClient, error_of
from tests.api.test_refusals import assert_unchanged
from tests.conftest import at
from tests.orders.factory import order_in


@pytest.fixture(autouse=True)
def _thursday_morning():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


def _answers(district, state, action, body_for):
    """The answers to the same probe naming the unit that has the order (江宁路街道, jnl) and
    one that has not (民政局, mzj)."""
    client = ApiClient(ApiToken.issue(district.dan, "partner", scopes=["api:write"])[1])
    answers = []
    for unit in ("jnl", "mzj"):
        order = order_in(state, district)
        assert client.get(f"/orders/{order.number}").status_code == 403
        response = client.post(f"/orders/{order.number}/{action}", body_for(unit))
        assert_unchanged(order)
        answers.append((response.status_code, error_of(response)["error"]))
    return answers


CO_UNITS = {
    "lead-as-co-unit": lambda unit: [unit],  # the lead unit named as a co-unit too
    "sub-unit-as-co-unit": lambda unit: ["jnl-01"],  # under 江宁路街道 (37ba31c's refusal)
}


@pytest.mark.parametrize("co_units", CO_UNITS.values(), ids=CO_UNITS.keys())
@pytest.mark.parametrize(
    ("state", "action", "body"),
    [
        (State.DISPATCHED, "redispatch", {"reason": "probe"}),
        (State.RETURNED, "approve-return", {"note": "probe"}),
    ],
    ids=["redispatch", "approve-return"],
)
def test_a_refused_co_unit_answers_alike_wherever_the_order_is(
    district, co_units, state, action, body
):
    here, elsewhere = _answers(
        district,
        state,
        action,
        lambda unit: {"lead_unit": unit, "co_units": co_units(unit), **body},
    )
    # Before: 409 conflict where the order was, 422 elsewhere.
    assert here == elsewhere == (422, "invalid_input")
