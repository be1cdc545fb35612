"""The published Python clients against a running server: ``open311`` (PyPI 1.1) posts a request
and reads it back, ``georeport`` (PyPI 0.3.1) reads services and requests in JSON and XML.

The ``open311`` package is Python 2 code; :mod:`tests.open311.legacy_open311` says exactly why
and how it is loaded unchanged. Its XML parsing is broken on Python 3.9+ (``getchildren``), and its
``service_requests()``/``service_list()`` expect the XML layout, so it is exercised in JSON with
``post_service_request`` and ``get_service_request``, the calls an app makes.
"""

from __future__ import annotations

import pytest
from georeport import GeoReport

from hotline.orders import actions
from hotline.orders.models import Channel, ReplyResult, WorkOrder
from tests.open311.legacy_open311 import open311_class


@pytest.fixture
def endpoint(transactional_db, district, live_server) -> str:
    return live_server.url + "/open311/v2"


def test_the_open311_client_posts_a_request_and_reads_it_back(endpoint, api_key, district):
    client = open311_class()(endpoint=endpoint, api_key=api_key, format="json")
    created = client.post_service_request(
        service_code="cxjs-szss-ldps",
        description="江宁路昌平路口的路灯连续三晚不亮。",
        address_string="静安区江宁路 500 号",
        first_name="三",
        last_name="张",
        phone="13812345678",
        **{"attribute[kind]": "complaint"},
    )
    number = created[0]["service_request_id"]
    order = WorkOrder.objects.get(number=number)
    assert (order.channel, order.kind, order.citizen_phone) == (
        Channel.OPEN311,
        "complaint",
        "13812345678",
    )

    [read] = client.get_service_request(number)
    assert (read["service_request_id"], read["status"], read["service_code"]) == (
        number,
        "open",
        "cxjs-szss-ldps",
    )
    assert read["description"] == "江宁路昌平路口的路灯连续三晚不亮。"
    assert "13812345678" not in str(read)

    actions.dispatch(order, district.dan, lead_unit=district.street)
    [dispatched] = client.get_service_request(number)
    assert dispatched["agency_responsible"] == "江宁路街道"
    assert dispatched["expected_datetime"]


def test_the_open311_client_is_refused_without_a_valid_key(endpoint, district):
    from urllib.error import HTTPError

    client = open311_class()(endpoint=endpoint, api_key="hl_wrong", format="json")
    with pytest.raises(HTTPError) as refused:
        client.post_service_request(
            service_code="cxjs-szss-ldps", description="路灯不亮", address_string="江宁路 1 号"
        )
    assert refused.value.code == 403
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_and_requests(endpoint, api_key, district, fmt):
    poster = open311_class()(endpoint=endpoint, api_key=api_key, format="json")
    number = poster.post_service_request(
        service_code="cxjs-szss-ldps", description="路灯不亮", address_string="江宁路 1 号"
    )[0]["service_request_id"]
    order = WorkOrder.objects.get(number=number)
    actions.dispatch(order, district.dan, lead_unit=district.street)
    actions.accept(order, district.una)
    actions.reply(order, district.una, result=ReplyResult.RESOLVED, text="已修复。")
    actions.approve_reply(order, district.dan)

    client = GeoReport(endpoint, output_format=fmt)
    services = client.get_service_list()
    if fmt == "xml":  # xmltodict gives one element as a dict, not a list
        services = [services] if isinstance(services, dict) else services
    assert [s["service_code"] for s in services] == ["cxjs-szss-ldps"]
    definition = client.get_service_definition("cxjs-szss-ldps")
    assert definition["service_code"] == "cxjs-szss-ldps"

    found = client.get_service_requests(service_request_id=number)
    found = [found] if isinstance(found, dict) else found
    assert [r["service_request_id"] for r in found] == [number]
    one = client.get_service_request(number)
    assert one["status"] == "open"
    assert one["status_notes"] == "已修复。"
    assert one["agency_responsible"] == "江宁路街道"
    listed = client.get_service_requests(status="open", service_code="cxjs-szss-ldps")
    listed = [listed] if isinstance(listed, dict) else listed
    assert number in [r["service_request_id"] for r in listed]
