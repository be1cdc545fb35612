"""二级派单 through the API: the order shows the sub-unit holding it; a wrong unit is refused."""

from __future__ import annotations

from hotline.orders.models import State
from tests.api.conftest import error_of
from tests.orders.factory import order_in


def test_nina_sees_the_order_assigned_to_her_neighbourhood(api, district):
    order = order_in(State.DISPATCHED, district)
    response = api(district.una).post(f"/orders/{order.number}/assign-inside", {"unit": "jnl-01"})
    assert response.status_code == 200, response.content
    assert response.json()["order"]["assigned_unit"] == "jnl-01"
    listed = api(district.nina).get("/orders").json()
    assert [o["number"] for o in listed["items"]] == [order.number]
    shown = api(district.nina).get(f"/orders/{order.number}").json()
    assert (shown["lead_unit"], shown["assigned_unit"]) == ("jnl", "jnl-01")
    assert (
        "hand-back" in api(district.nina).get(f"/orders/{order.number}/actions").json()["actions"]
    )


def test_a_unit_outside_the_street_is_refused_with_the_field_named(api, district):
    order = order_in(State.DISPATCHED, district)
    response = api(district.una).post(f"/orders/{order.number}/assign-inside", {"unit": "mzj"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "unit"
    order.refresh_from_db()
    assert order.assigned_unit is None


def test_nina_cannot_return_an_order_to_the_centre(api, district):
    order = order_in(State.ACCEPTED, district, inside=district.neighbourhood)
    response = api(district.nina).post(f"/orders/{order.number}/return", {"reason": "非本居委会"})
    assert response.status_code == 403
