"""Listing orders: visibility, filters, paging, and no query per order."""

from __future__ import annotations

import pytest
import time_machine

from hotline.orders import actions
from hotline.orders.models import State
from hotline.org.models import Category
from hotline.sla.models import Urgency
from tests.api.conftest import error_of
from tests.conftest import at
from tests.orders.factory import new_order, order_in


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


@pytest.fixture
def orders(district):
    """Three orders on three days: one at the street, one at the bureau, one not dispatched."""
    with time_machine.travel(at("2023-03-07 09:00"), tick=False):
        street = order_in(State.ACCEPTED, district)
    with time_machine.travel(at("2023-03-08 09:00"), tick=False):
        bureau = new_order(
            district,
            title="低保申请进度",
            description="想了解低保申请办到哪一步了",
            address="静安区常德路 100 号",
            citizen_phone="13900001111",
            urgency=Urgency.URGENT,
            kind="consultation",
            category=None,
        )
        actions.dispatch(bureau, district.dan, lead_unit=district.bureau)
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        fresh = new_order(district, title="井盖松动")
    return street, bureau, fresh


def test_centre_sees_every_order_newest_first(api, district, orders):
    street, bureau, fresh = orders
    response = api(district.dan).get("/orders")
    assert numbers(response) == [fresh.number, bureau.number, street.number]
    assert response.json()["count"] == 3


def test_unit_lists_only_its_own_orders(api, district, orders):
    street, bureau, _fresh = orders
    assert numbers(api(district.una).get("/orders")) == [street.number]
    assert numbers(api(district.victor).get("/orders")) == [bureau.number]
    assert numbers(api(district.una_nb).get("/orders")) == []


def test_unit_list_shows_phones_masked(api, district, orders):
    items = api(district.una).get("/orders").json()["items"]
    assert [i["citizen_phone"] for i in items] == ["*******5678"]
    items = api(district.dan).get("/orders", {"state": "accepted"}).json()["items"]
    assert [i["citizen_phone"] for i in items] == ["13812345678"]


def test_co_unit_lists_the_orders_it_helps_with_once(api, district):
    order = new_order(district)
    actions.dispatch(order, district.dan, lead_unit=district.bureau, co_units=[district.street])
    # Una sees it as co-unit through her street; the list must not repeat it.
    response = api(district.una).get("/orders")
    assert numbers(response) == [order.number]
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "accepted"}, ["street"]),
        ({"state": ["accepted", "registered"]}, ["fresh", "street"]),
        ({"lead_unit": "mzj"}, ["bureau"]),
        ({"lead_unit": "nowhere"}, []),
        ({"category": "cxjs-szss-ldps"}, ["fresh", "street"]),
        ({"category": "cxjs"}, ["fresh", "street"]),
        ({"urgency": "urgent"}, ["bureau"]),
        ({"kind": "consultation"}, ["bureau"]),
        ({"overdue": "false"}, ["fresh", "bureau", "street"]),
        ({"overdue": "true"}, []),
        ({"q": "低保"}, ["bureau"]),
        ({"q": "常德路"}, ["bureau"]),
        ({"q": "井盖"}, ["fresh"]),
        ({"q": "20230307-"}, ["street"]),
        ({"registered_from": "2023-03-08"}, ["fresh", "bureau"]),
        ({"registered_to": "2023-03-08"}, ["bureau", "street"]),
        ({"registered_from": "2023-03-08", "registered_to": "2023-03-08"}, ["bureau"]),
        ({"phone": "13900001111"}, ["bureau"]),
    ],
)
def test_filters(api, district, orders, params, expected):
    by_name = dict(zip(("street", "bureau", "fresh"), orders, strict=True))
    response = api(district.dan).get("/orders", params)
    assert numbers(response) == [by_name[name].number for name in expected]
    assert response.json()["count"] == len(expected)


def test_registered_dates_are_local_days(api, district):
    # 2023-03-09 00:30 in Shanghai is still 2023-03-08 in UTC.
    with time_machine.travel(at("2023-03-09 00:30"), tick=False):
        order = new_order(district)
    assert numbers(api(district.dan).get("/orders", {"registered_to": "2023-03-08"})) == []
    found = api(district.dan).get("/orders", {"registered_from": "2023-03-09"})
    assert numbers(found) == [order.number]


def test_unit_cannot_search_by_phone(api, district, orders):
    response = api(district.una).get("/orders", {"phone": "13812345678"})
    assert response.status_code == 403
    body = error_of(response)
    assert (body["error"], body["field"]) == ("forbidden", "phone")


def test_paging_returns_the_count_and_one_page(api, district, orders):
    street, bureau, fresh = orders
    response = api(district.dan).get("/orders", {"limit": 2})
    assert numbers(response) == [fresh.number, bureau.number]
    assert response.json()["count"] == 3
    response = api(district.dan).get("/orders", {"limit": 2, "offset": 2})
    assert numbers(response) == [street.number]
    assert response.json()["count"] == 3
    assert numbers(api(district.dan).get("/orders", {"offset": 10})) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 201}, "limit"),
        ({"limit": 10**30}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "all"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**30}, "offset"),
        ({"state": "lost"}, "state.0"),
        ({"urgency": "whenever"}, "urgency"),
        ({"kind": "rant"}, "kind"),
        ({"overdue": "perhaps"}, "overdue"),
        ({"registered_from": "yesterday"}, "registered_from"),
        ({"registered_to": "2023-02-30"}, "registered_to"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_filters_are_invalid_input(api, district, params, field):
    response = api(district.dan).get("/orders", params)
    assert response.status_code == 422
    body = error_of(response)
    assert (body["error"], body["field"]) == ("invalid_input", field)


def test_listing_does_no_query_per_order(api, district, django_assert_max_num_queries):
    parent = new_order(district)
    top = Category.objects.get(code="cxjs")
    for i in range(30):
        order = new_order(
            district,
            street=district.street,
            community=district.neighbourhood,
            category=district.category if i % 2 else top,
            latitude=31.23,
            longitude=121.45,
        )
        if i % 3 == 0:
            actions.merge(order, district.dan, parent=parent)
        else:
            actions.dispatch(
                order, district.dan, lead_unit=district.street, co_units=[district.bureau]
            )
    # Token, roles, (a unit user's subtree), count, page, co-units: the same for 1 or 200 orders.
    for user in (district.dan, district.una):
        client = api(user)
        with django_assert_max_num_queries(6):
            response = client.get("/orders", {"limit": 200})
        assert response.status_code == 200
        assert len(response.json()["items"]) >= 20
