"""Address → street through the gazetteer: estates first, house-number ranges, ambiguity."""

import pytest
from django.urls import reverse

from hotline.orders.models import WorkOrder
from hotline.org.gazetteer import house_number, match_address
from hotline.org.models import Place, PlaceKind, Unit, UnitKind


@pytest.fixture
def places(district):
    other = Unit.objects.create(code="jas", name="静安寺街道", kind=UnitKind.STREET)
    Place.objects.create(kind=PlaceKind.ROAD, name="江宁路", number_to=799, street=district.street)
    Place.objects.create(kind=PlaceKind.ROAD, name="江宁路", number_from=800, street=other)
    Place.objects.create(kind=PlaceKind.ROAD, name="昌平路", street=district.street)
    Place.objects.create(
        kind=PlaceKind.ESTATE,
        name="三和花园",
        street=district.street,
        community=district.neighbourhood,
    )
    Place.objects.create(kind=PlaceKind.ROAD, name="愚园路", street=other)
    return other


def test_house_number_after_the_road():
    assert house_number("静安区江宁路 500 号 3 楼", "江宁路") == 500
    assert house_number("江宁路1018弄", "江宁路") == 1018
    assert house_number("江宁路口", "江宁路") is None


def test_house_number_ranges_split_a_road_between_streets(district, places):
    assert match_address("江宁路 500 号").street == district.street
    assert match_address("江宁路 1018 号").street == places
    # Without a number the split road cannot decide.
    assert match_address("江宁路口") is None


def test_estate_wins_and_names_the_neighbourhood(district, places):
    found = match_address("愚园路三和花园 5 号楼")
    assert found.street == district.street and found.community == district.neighbourhood


def test_two_roads_on_different_streets_is_no_answer(district, places):
    assert match_address("昌平路愚园路交叉口") is None
    assert match_address("") is None and match_address("不知道") is None


def test_intake_fills_the_street_from_the_address(client, district, places):
    client.force_login(district.olga)
    hint = client.get(reverse("street_suggestion") + "?address=昌平路 10 号").content.decode()
    assert "江宁路街道" in hint
    client.post(
        reverse("intake"),
        {
            "citizen_phone": "13900002222",
            "channel": "phone",
            "kind": "complaint",
            "urgency": "normal",
            "title": "噪音扰民",
            "description": "夜间施工噪音很大。",
            "address": "三和花园 12 号楼",
        },
    )
    order = WorkOrder.objects.get(citizen_phone="13900002222")
    assert order.street == district.street and order.community == district.neighbourhood


def test_demo_district_has_a_gazetteer(db):
    from hotline.org import demo

    demo.load_district()
    assert Place.objects.filter(kind=PlaceKind.ROAD).count() > 50
    assert match_address("静安区共和新路 1000 号").street.name == "共和新路街道"
