"""Duplicate detection (重复件): candidates by caller, address and text; shown at intake and on
the order page; merging makes the child follow its parent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hotline import clock
from hotline.dispatch import duplicates
from hotline.orders import actions
from hotline.orders.models import State, WorkOrder
from tests.orders.factory import new_order

LAMP = {
    "title": "路灯不亮",
    "description": "江宁路昌平路口的路灯连续三晚不亮，夜里行人很不方便。",
    "address": "静安区江宁路 500 号",
}


@pytest.fixture(autouse=True)
def _fresh_features():
    duplicates.invalidate()
    yield
    duplicates.invalidate()


def find(d, **overrides):
    query = {**LAMP, "street_id": d.street.pk, "phone": "13900000000", **overrides}
    return duplicates.candidates(**query)


def numbers(found):
    return [c.order.number for c in found]


def test_same_caller_found(district):
    order = new_order(district, street=district.street)
    found = find(
        district, phone=order.citizen_phone, description="昌平路口路灯三晚不亮，请尽快修。"
    )
    assert numbers(found) == [order.number]
    assert "caller" in found[0].reasons


def test_same_caller_found_without_a_street(district):
    order = new_order(district)
    found = find(district, street_id=None, phone=order.citizen_phone)
    assert numbers(found) == [order.number]


def test_same_address_found(district):
    order = new_order(district, street=district.street)
    found = find(
        district,
        address="上海市静安区江宁路500号3楼",
        description="昌平路口路灯连续三晚都不亮，请派人修。",
    )
    assert numbers(found) == [order.number]
    assert "address" in found[0].reasons


def test_reworded_text_found(district):
    order = new_order(district, street=district.street)
    found = find(
        district,
        title="路灯坏了",
        description="市民反映：连续三晚，江宁路昌平路口的路灯都不亮，夜里行人很不方便。",
        address="",
    )
    assert numbers(found) == [order.number]
    assert found[0].reasons == ["text"]


def test_traditional_matches_simplified(district):
    order = new_order(district, street=district.street)
    found = find(
        district,
        title="路燈不亮",
        description="江寧路昌平路口的路燈連續三晚不亮，夜裡行人很不方便。",
        address="",
    )
    assert numbers(found) == [order.number]


def test_unrelated_order_on_the_same_street_not_flagged(district):
    new_order(
        district,
        street=district.street,
        title="饭店油烟扰民",
        description="康定路200号饭店油烟直接排进小区，窗户都不能开。",
        address="静安区康定路200号",
        citizen_phone="13700000000",
    )
    assert find(district) == []


@pytest.mark.parametrize("state", [State.CANCELLED, State.MERGED])
def test_cancelled_and_merged_orders_excluded(district, state):
    order = new_order(district, street=district.street)
    parent = new_order(district, title="其他", description="别的事情", address="")
    if state == State.CANCELLED:
        actions.cancel(order, district.sam, reason="重复来电")
    else:
        actions.merge(order, district.dan, parent=parent)
    assert order.number not in numbers(find(district, phone=order.citizen_phone))


def test_orders_outside_the_window_excluded(district):
    order = new_order(district, street=district.street)
    later = clock.now() + dt.timedelta(days=31)
    assert find(district, phone=order.citizen_phone, now=later) == []
    assert numbers(find(district, phone=order.citizen_phone, now=later, days=40)) == [order.number]


def test_an_order_is_not_its_own_duplicate(district):
    order = new_order(district, street=district.street)
    twin = new_order(district, street=district.street)
    assert numbers(duplicates.for_order(order)) == [twin.number]


def test_intake_partial_lists_candidates(client, district):
    order = new_order(district, street=district.street)
    client.force_login(district.olga)
    response = client.post(
        reverse("similar_orders"),
        {**LAMP, "citizen_phone": order.citizen_phone, "street": district.street.pk},
    )
    assert response.status_code == 200
    assert f'data-number="{order.number}"' in response.content.decode()
    client.force_login(district.cathy)
    assert client.post(reverse("similar_orders"), LAMP).status_code == 403


def test_order_page_shows_possible_duplicates_to_those_who_merge(client, district):
    first = new_order(district, street=district.street)
    second = new_order(district, street=district.street)
    client.force_login(district.dan)
    html = client.get(reverse("order_detail", args=[second.number])).content.decode()
    assert 'data-testid="similar-orders"' in html
    assert f'data-number="{first.number}"' in html
    actions.merge(second, district.dan, parent=first)
    html = client.get(reverse("order_detail", args=[second.number])).content.decode()
    assert 'data-testid="similar-orders"' not in html


def test_merge_makes_the_child_follow_its_parent(district):
    parent = new_order(district, street=district.street)
    child = new_order(district, street=district.street)
    assert numbers(duplicates.for_order(child)) == [parent.number]
    actions.merge(child, district.dan, parent=parent)
    child = WorkOrder.objects.get(pk=child.pk)
    assert child.state == State.MERGED
    assert child.parent_id == parent.pk
    assert list(parent.duplicates.all()) == [child]
    assert duplicates.for_order(parent) == []


# A duplicate is about the same place: the same words about two estates or two house numbers
# are two requests, each for its own place (they were offered as duplicates, and merging one
# into the other would leave a place without anyone sent there).
DANCE = {
    "title": "广场舞音响声音过大",
    "description": "小区广场舞每天晚上音响声音过大，一直跳到十点，影响居民休息，请处理。",
}


def test_the_same_complaint_about_two_estates_is_no_duplicate(district):
    new_order(
        district,
        street=district.street,
        citizen_phone="13811112222",
        address="静安区曹家渡街道青云路小区 5 号楼",
        **DANCE,
    )
    found = find(district, address="静安区灵石苑 3 号楼 201 室", phone="13933334444", **DANCE)
    assert found == []


def test_the_same_complaint_at_two_house_numbers_is_no_duplicate_even_from_one_caller(district):
    order = new_order(district, street=district.street)
    assert find(district, address="静安区江宁路 512 号", phone=order.citizen_phone) == []


def test_the_same_complaint_in_one_estate_written_differently_is_found(district):
    order = new_order(
        district,
        street=district.street,
        citizen_phone="13811112222",
        address="静安区曹家渡街道青云路小区 5 号楼",
        **DANCE,
    )
    found = find(
        district,
        address="青雲路小區7號樓",
        phone="13933334444",
        title="广场舞音响声音太大",
        description="小區廣場舞每天晚上音響聲音過大，跳到十點，影響居民休息，請盡快處理。",
    )
    assert numbers(found) == [order.number]
    # 小区 after the estate's own name is the same estate.
    assert duplicates.place_key("曹家渡花园小区 5 号楼") == duplicates.place_key(
        "静安区曹家渡花园 4 号楼 603 室"
    )
    # Where one of them has no address, nothing is known against it.
    assert numbers(find(district, address="", phone="13933334444", **DANCE)) == [order.number]


def test_coordinates_tell_two_places_apart_where_the_addresses_do_not(district):
    here = {"latitude": 31.2290, "longitude": 121.4460, "address": "江宁路昌平路口"}
    order = new_order(district, street=district.street, **here)
    near = find(district, address="江宁路昌平路口东南角", latitude=31.2300, longitude=121.4462)
    assert numbers(near) == [order.number]
    far = find(district, address="江宁路昌平路口东南角", latitude=31.2400, longitude=121.4460)
    assert far == []
    # The order page compares the order's own coordinates.
    twin = new_order(
        district, street=district.street, **{**here, "latitude": 31.2500, "longitude": 121.4460}
    )
    assert order.number not in numbers(duplicates.for_order(twin))


# r2's review of session 17: the place check said "another place" where it was the same one, and
# "the same" for two roads ending alike.


def test_a_number_range_holds_the_house_number(district):
    order = new_order(district, street=district.street)  # a lamp at 江宁路 500 号
    found = find(district, address="江宁路500-502号", phone=order.citizen_phone)
    assert numbers(found) == [order.number]


def test_a_landmark_named_first_does_not_hide_the_place_after_it(district):
    order = new_order(district, street=district.street)  # a lamp at 江宁路 500 号
    found = find(district, address="昌平路990号对面，江宁路500号门口", phone=order.citizen_phone)
    assert numbers(found) == [order.number]


def test_beijing_west_road_and_nanjing_west_road_are_two_roads(district):
    order = new_order(district, street=district.street, address="静安区北京西路 500 号")
    assert find(district, address="静安区南京西路500号", phone=order.citizen_phone) == []
    # the same road with the district written or not is one road
    found = find(district, address="北京西路500号", phone=order.citizen_phone)
    assert numbers(found) == [order.number]
