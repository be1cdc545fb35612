"""GeoReport v2 as the specification shows it: documents, filters, errors and status codes."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
import time_machine
from django.test import Client

from hotline.orders import actions
from hotline.orders.models import Action, Channel, ReplyResult, Satisfaction, WorkOrder
from hotline.org.models import ApiToken, Category, Place, PlaceKind
from tests.conftest import at
from tests.orders.factory import new_order

BASE = "/open311/v2"
NOW = at("2023-03-09 10:00")


@pytest.fixture
def client() -> Client:
    return Client(enforce_csrf_checks=True)


def xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def post(client, api_key: str | None, fmt: str = "json", **fields):
    data = {
        "service_code": "cxjs-szss-ldps",
        "description": "江宁路昌平路口的路灯连续三晚不亮。",
        "address_string": "静安区江宁路 500 号",
        "first_name": "三",
        "last_name": "张",
        "phone": "13812345678",
        **fields,
    }
    if api_key is not None:
        data["api_key"] = api_key
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def test_discovery_names_the_endpoint_and_its_formats(district, client):
    doc = xml(client.get(f"{BASE}/discovery.xml"))
    endpoint = doc.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    as_json = client.get(f"{BASE}/discovery.json").json()
    assert as_json["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    # Also where discovery files conventionally sit, above the versioned endpoint.
    above = client.get("/open311/discovery.json").json()
    assert above["endpoints"][0]["url"] == "http://testserver/open311/v2"


def test_services_are_the_active_leaf_categories(district, client):
    Category.objects.create(
        code="old", name="旧分类", parent=district.category.parent, active=False
    )
    services = client.get(f"{BASE}/services.json").json()
    assert services == [
        {
            "service_code": "cxjs-szss-ldps",
            "service_name": "路灯损坏",
            "description": "城乡建设 / 市政设施 / 路灯损坏",
            "metadata": True,
            "type": "realtime",
            "keywords": "城乡建设,市政设施",
            "group": "城乡建设",
        }
    ]
    doc = xml(client.get(f"{BASE}/services.xml"))
    assert doc.tag == "services"
    assert [s.findtext("service_code") for s in doc.findall("service")] == ["cxjs-szss-ldps"]
    assert doc.find("service/metadata").text == "true"


def test_a_service_definition_lists_its_attributes_and_values(district, client):
    doc = xml(client.get(f"{BASE}/services/cxjs-szss-ldps.xml"))
    assert doc.tag == "service_definition"
    assert doc.findtext("service_code") == "cxjs-szss-ldps"
    kind = doc.find("attributes/attribute")
    assert (kind.findtext("code"), kind.findtext("datatype"), kind.findtext("required")) == (
        "kind",
        "singlevaluelist",
        "false",
    )
    assert "complaint" in [v.findtext("key") for v in kind.findall("values/value")]
    as_json = client.get(f"{BASE}/services/cxjs-szss-ldps.json").json()
    assert [a["code"] for a in as_json["attributes"]] == ["kind", "anonymous"]


def test_an_unknown_service_is_a_404_in_the_spec_error_format(district, client):
    response = client.get(f"{BASE}/services/nothing.xml")
    assert response.status_code == 404
    error = xml(response).find("error")
    assert error.findtext("code") == "404" and "nothing" in error.findtext("description")
    as_json = client.get(f"{BASE}/services/nothing.json")
    assert as_json.status_code == 404 and as_json.json()[0]["code"] == 404


@time_machine.travel(NOW, tick=False)
def test_posting_a_request_registers_an_open311_order(district, client, api_key):
    Place.objects.create(kind=PlaceKind.ROAD, name="江宁路", street=district.street)
    response = post(client, api_key, **{"attribute[kind]": "complaint"})
    assert response.status_code == 200, response.content
    [created] = response.json()
    order = WorkOrder.objects.get(number=created["service_request_id"])
    assert created["account_id"] is None and order.number in created["service_notice"]
    assert (order.channel, order.state, order.kind) == (Channel.OPEN311, "registered", "complaint")
    assert (order.title, order.category) == ("路灯损坏", district.category)
    assert (order.citizen_name, order.citizen_phone) == ("张三", "13812345678")
    # The gazetteer routes the address to its street, as at intake.
    assert order.street == district.street
    # The event names the partner account whose api_key registered it.
    assert list(order.events.values_list("action", "actor__username", "payload")) == [
        (Action.REGISTER, "pat", {"channel": "open311"})
    ]


def test_posting_answers_in_xml_too(district, client, api_key):
    doc = xml(post(client, api_key, fmt="xml"))
    assert doc.tag == "service_requests"
    number = doc.findtext("request/service_request_id")
    assert WorkOrder.objects.filter(number=number).exists()


def test_the_api_key_may_come_in_the_query_string(district, client, api_key):
    response = client.post(
        f"{BASE}/requests.json?api_key={api_key}&jurisdiction_id=",
        {
            "service_code": "cxjs-szss-ldps",
            "description": "路灯不亮",
            "lat": "31.23",
            "long": "121.44",
        },
    )
    assert response.status_code == 200
    order = WorkOrder.objects.get()
    assert (float(order.latitude), float(order.longitude)) == (31.23, 121.44)


@pytest.mark.parametrize("key", [None, "", "hl_not-a-token"])
def test_posting_without_a_valid_api_key_is_a_403(district, client, key):
    response = post(client, key)
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    assert not WorkOrder.objects.exists()


def test_a_revoked_api_key_is_a_403(district, client, api_key):
    ApiToken.objects.update(revoked_at=NOW)
    assert post(client, api_key).status_code == 403


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"service_code": None}, "service_code"),
        ({"service_code": "nothing"}, "nothing"),
        ({"address_string": None}, "lat"),
        ({"lat": "91", "long": "121", "address_string": None}, "lat"),
        ({"address_id": "999999"}, "address_id"),
        # "²" passes str.isdigit() and fails in int(); forty digits overflow a bigint: both
        # were a 500 (attack, session 30).
        ({"address_id": "²"}, "address_id"),
        ({"address_id": "9" * 40}, "address_id"),
        ({"description": None}, "description"),
        ({"attribute[kind]": "rumour"}, "attribute[kind]"),
        ({"phone": "call me"}, ""),  # refused by the register action itself
    ],
)
def test_a_bad_request_is_a_400_naming_the_parameter(district, client, api_key, fields, words):
    response = post(client, api_key, fmt="xml", **fields)
    assert response.status_code == 400
    errors = xml(response).findall("error")
    assert errors and all(e.findtext("code") == "400" for e in errors)
    assert any(words in e.findtext("description") for e in errors)
    assert not WorkOrder.objects.exists()


def test_a_wrong_method_is_a_405_in_the_spec_format(district, client):
    response = client.delete(f"{BASE}/services.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()[0]["code"] == 405


def test_an_unknown_resource_is_a_404_document(district, client):
    response = client.get(f"{BASE}/widgets.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def _posted(client, api_key, **fields) -> WorkOrder:
    response = post(client, api_key, **fields)
    assert response.status_code == 200, response.content
    return WorkOrder.objects.get(number=response.json()[0]["service_request_id"])


def test_a_request_follows_the_order_open_then_closed(district, client, api_key):
    d = district
    with time_machine.travel(NOW, tick=False):
        order = _posted(client, api_key)
    url = f"{BASE}/requests/{order.number}.json"
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        [fresh] = client.get(url).json()
        assert (fresh["status"], fresh["agency_responsible"], fresh["expected_datetime"]) == (
            "open",
            None,
            None,
        )
        assert fresh["requested_datetime"] == "2023-03-09T10:00:00+08:00"
        actions.dispatch(order, d.dan, lead_unit=d.street)
        actions.accept(order, d.una)
        actions.first_contact(order, d.una, way="phone")
        actions.reply(order, d.una, result=ReplyResult.RESOLVED, text="已更换灯泡。")
        [replied] = client.get(url).json()
        assert replied["agency_responsible"] == "江宁路街道"
        order.refresh_from_db()
        assert (
            replied["expected_datetime"]
            == order.reply_due.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat()
        )
        # The reply is public only once the centre approves it.
        assert replied["status_notes"] is None
        actions.approve_reply(order, d.dan)
        assert client.get(url).json()[0]["status_notes"] == "已更换灯泡。"
        actions.callback(order, d.cathy, resolved=True, satisfaction=Satisfaction.SATISFIED)
        [closed] = client.get(url).json()
    assert closed["status"] == "closed"


def test_requests_never_show_who_asked(district, client, api_key):
    with time_machine.travel(NOW, tick=False):
        order = _posted(client, api_key, email="zhang@example.com")
        body = client.get(f"{BASE}/requests.xml").content.decode()
    assert order.number in body
    for private in ("13812345678", "张三", "zhang@example.com"):
        assert private not in body


def test_orders_taken_by_phone_are_not_published(district, client, api_key):
    with time_machine.travel(NOW, tick=False):
        phoned = new_order(district)
        posted = _posted(client, api_key)
        listed = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
        one = client.get(f"{BASE}/requests/{phoned.number}.json")
    assert listed == [posted.number]
    assert one.status_code == 404


def test_request_filters(district, client, api_key):
    other = Category.objects.create(
        code="cxjs-szss-dlps", name="道路破损", parent=district.category.parent
    )
    with time_machine.travel(at("2023-01-05 10:00"), tick=False):
        january = _posted(client, api_key)
    with time_machine.travel(at("2023-03-01 10:00"), tick=False):
        march = _posted(client, api_key, service_code=other.code)
        answered = _posted(client, api_key)
        actions.answer(answered, district.olga, text="已告知。")
    with time_machine.travel(NOW, tick=False):

        def ids(**params) -> list[str]:
            response = client.get(f"{BASE}/requests.json", params)
            assert response.status_code == 200, response.content
            return sorted(r["service_request_id"] for r in response.json())

        # Default: the last 90 days.
        assert ids() == sorted([january.number, march.number, answered.number])
        assert ids(service_code=other.code) == [march.number]
        assert ids(service_code=f"{other.code},cxjs-szss-ldps") == ids()
        assert ids(status="closed") == [answered.number]
        assert ids(status="open") == sorted([january.number, march.number])
        assert ids(start_date="2023-02-01T00:00:00+08:00") == sorted(
            [march.number, answered.number]
        )
        assert ids(start_date="2023-01-01T00:00:00Z", end_date="2023-01-31T23:59:59Z") == [
            january.number
        ]
        # A list of ids overrides every other parameter.
        both = f"{january.number},{march.number}"
        assert ids(service_request_id=both, status="closed") == sorted(
            [january.number, march.number]
        )


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"start_date": "last week"},
        {"start_date": "2023-01-01T00:00:00"},  # no time zone
        {"start_date": "2022-01-01T00:00:00Z", "end_date": "2023-01-01T00:00:00Z"},  # > 90 days
        {"start_date": "2023-02-01T00:00:00Z", "end_date": "2023-01-01T00:00:00Z"},
    ],
)
def test_bad_filters_are_a_400(district, client, params):
    response = client.get(f"{BASE}/requests.xml", params)
    assert response.status_code == 400
    assert xml(response).findtext("error/code") == "400"
