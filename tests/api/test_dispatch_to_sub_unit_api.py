"""The centre names a 居委会 through the API: the street leads, the 居委会 is assigned (二级派单,
issue 16 item 1); the answer shows both, and the event is the dispatch."""

from __future__ import annotations

from hotline.orders.models import Action, State
from tests.api.conftest import error_of
from tests.orders.factory import new_order, order_in


def test_dispatching_to_a_neighbourhood_gives_the_street_the_lead(api, district):
    order = new_order(district)
    response = api(district.dan).post(
        f"/orders/{order.number}/dispatch", {"lead_unit": "jnl-01", "version": order.version}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["order"]["lead_unit"], body["order"]["assigned_unit"]) == ("jnl", "jnl-01")
    assert body["order"]["state"] == State.DISPATCHED
    assert (body["event"]["action"], body["event"]["unit"]) == ("dispatch", "jnl")
    assigned = order.events.get(action=Action.ASSIGN_INSIDE)
    assert assigned.actor == district.dan and assigned.payload["by_centre"] is True
    # Nina finds it; hand-back is hers, a return is not.
    offered = api(district.nina).get(f"/orders/{order.number}/actions").json()["actions"]
    assert "hand-back" in offered and "return" not in offered


def test_redispatch_to_a_neighbourhood_of_the_street_that_has_it_is_refused(api, district):
    order = order_in(State.DISPATCHED, district)
    response = api(district.dan).post(
        f"/orders/{order.number}/redispatch", {"lead_unit": "jnl-01", "reason": "居委会更近"}
    )
    assert response.status_code == 422
    assert error_of(response)["field"] == "lead_unit"
    order.refresh_from_db()
    assert order.assigned_unit is None
