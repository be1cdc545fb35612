"""What Open311 publishes of where a request is (attack report, session 22, finding 1).

The published list and single requests are open to anyone. The description was masked, but the
address went out as the partner app typed it (a caller's phone, ID number and name in the address
line included), and an anonymous report (举报) gave away the whistle-blower's building and flat and
the coordinates of it — while no unit user is shown anything of an anonymous caller.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from hotline.orders.models import WorkOrder
from hotline.org.models import Place, PlaceKind
from tests.open311.test_georeport import BASE, post
from tests.open311.test_partners_and_publication import key_of

SECRETS = ("13912345678", "310101199001011234", "19900101")


def published(number: str) -> list[dict]:
    """The request as each of the four public documents shows it: list and single, JSON and XML."""
    client = Client()
    out = []
    for path in (f"{BASE}/requests/{number}", f"{BASE}/requests"):
        out.append(client.get(f"{path}.json", {"service_request_id": number}).json()[0])
        doc = ET.fromstring(client.get(f"{path}.xml", {"service_request_id": number}).content)
        request = doc.find("request")
        out.append({child.tag: child.text for child in request})
    return out


def test_phone_and_id_numbers_in_the_address_are_masked(district):
    response = post(
        Client(),
        key_of(district.olga),
        address_string="江宁路100弄5号 王建国 13912345678 身份证310101199001011234",
        description="路面塌陷，联系13912345678",
    )
    number = response.json()[0]["service_request_id"]

    for record in published(number):
        for secret in SECRETS:
            assert secret not in (record["address"] or "")
            assert secret not in (record["description"] or "")
        assert record["address"].startswith("江宁路100弄5号")
        assert "*******5678" in record["address"]


@pytest.mark.parametrize("in_the_gazetteer", [False, True])
@pytest.mark.parametrize("with_coordinates", [False, True])
def test_an_anonymous_reports_address_and_coordinates_are_not_published(
    district, with_coordinates, in_the_gazetteer
):
    if in_the_gazetteer:
        Place.objects.create(kind=PlaceKind.ROAD, name="江宁路", street=district.street)
    extra = {"lat": "31.23", "long": "121.44"} if with_coordinates else {}
    response = post(
        Client(),
        key_of(district.olga),
        address_string="静安区江宁路 33 号楼 401 室",
        description="有人在楼道里堆放杂物。",
        **{"attribute[anonymous]": "true"},
        **extra,
    )
    number = response.json()[0]["service_request_id"]
    order = WorkOrder.objects.get(number=number)
    assert order.anonymous
    assert (order.street == district.street) is in_the_gazetteer

    for record in published(number):
        # At most the street (街道/镇) the gazetteer placed it in: no building, no flat, no point.
        assert record["address"] == (order.street.name if order.street else None)
        assert "401" not in str(record)
        assert record["lat"] is None and record["long"] is None


def test_a_named_reports_address_and_coordinates_are_still_published(district):
    response = post(
        Client(),
        key_of(district.olga),
        address_string="静安区江宁路 500 号",
        lat="31.23",
        long="121.44",
    )
    number = response.json()[0]["service_request_id"]

    record = Client().get(f"{BASE}/requests/{number}.json").json()[0]
    assert record["address"] == "静安区江宁路 500 号"
    assert (record["lat"], record["long"]) == (31.23, 121.44)
