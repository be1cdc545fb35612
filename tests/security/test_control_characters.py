"""Control characters at every input boundary (issue 13, item 4).

Tab, newline and carriage return are text; every other C0 control is not. A NUL or another control
in an address, a query or a cookie is a 400 in the interface's own format (never a 500, also on
PostgreSQL, which cannot store a NUL); a form body loses them before the view reads it (pages, the
portal, Open311's POST); the API's JSON bodies are refused naming the field; imports drop them.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from hotline.orders.models import Channel, WorkOrder
from hotline.org.models import ApiToken, Role
from tests.conftest import make_user
from tests.interchange.conftest import csv_file, run
from tests.interchange.test_orders import HEADER, row
from tests.open311.test_georeport import post as open311_post
from tests.portal.test_portal import submit
from tests.web.test_order_pages import page


@pytest.mark.parametrize(
    "url",
    [
        "/open311/v2/requests.json?service_code=%00",
        "/open311/v2/requests.xml?start_date=2023-01-01T00:00:00Z%01",
        "/open311/v2/requests/2023%00.json",
        "/open311/v2/services/%00.xml",
    ],
)
def test_open311_answers_a_control_character_with_its_error_document(district, url):
    response = Client().get(url)

    assert response.status_code == 400
    if ".json" in url:
        assert response.json()[0]["code"] == 400
    else:
        assert ET.fromstring(response.content).find("error/code").text == "400"


@pytest.mark.parametrize(
    "url", ["/api/v1/orders?q=%00", "/api/v1/orders?phone=139%00", "/api/v1/orders/2023%00"]
)
def test_the_api_answers_a_control_character_in_json(district, url):
    _token, raw = ApiToken.issue(district.dan, name="tests")

    response = Client(headers={"Authorization": f"Bearer {raw}"}).get(url)

    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"


@pytest.mark.parametrize(
    "url", ["/orders/?q=%00", "/orders/?q=%0b", "/orders/2023%00/", "/intake/similar?title=%00"]
)
def test_a_staff_page_answers_a_control_character_with_400(client, district, url):
    assert page(client, district.dan, url).status_code == 400


def test_a_nul_in_the_session_cookie_is_a_400(district):
    citizen = Client()
    citizen.cookies["sessionid"] = "abc\x00def"
    assert citizen.get("/portal/").status_code == 400


def test_tab_and_newline_are_text_in_a_query(client, district):
    assert page(client, district.dan, "/orders/?q=%E8%B7%AF%09%E7%81%AF%0A").status_code == 200


def test_a_portal_description_loses_its_control_characters(district):
    response = submit(
        Client(), district, description="路灯\x01连续三晚\x0b不亮，夜里很黑。\n请尽快修。"
    )

    assert response.status_code == 302
    assert WorkOrder.objects.get().description == "路灯连续三晚不亮，夜里很黑。\n请尽快修。"


def test_an_open311_description_with_a_control_stays_well_formed_xml(district):
    pat = make_user("pat", district.centre, Role.OPERATOR)
    _token, key = ApiToken.issue(pat, name="partner app", scopes=[ApiToken.OPEN311])
    client = Client()

    posted = open311_post(client, key, description="路灯\x0b不亮\x00，请修理。")

    assert posted.status_code == 200
    order = WorkOrder.objects.get(channel=Channel.OPEN311)
    assert order.description == "路灯不亮，请修理。"
    published = client.get(f"/open311/v2/requests/{order.number}.xml")
    assert ET.fromstring(published.content).find("request/description").text == order.description


@pytest.mark.parametrize("field", ["title", "description", "citizen_name", "address"])
def test_the_api_refuses_a_body_with_a_control_character_naming_the_field(district, field):
    _token, raw = ApiToken.issue(district.olga, name="tests")
    body = {"title": "路灯不亮", "description": "江宁路的路灯不亮。", field: "路灯\x00不亮"}

    response = Client(headers={"Authorization": f"Bearer {raw}"}).post(
        "/api/v1/orders", body, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert not WorkOrder.objects.exists()


def test_an_import_drops_control_characters(district, tmp_path):
    path = csv_file(
        tmp_path / "orders.csv", [HEADER, row(description="夜里\x01施工\x0b噪声很大。")]
    )

    run("import_data", "orders", path, "--user", "olga")

    assert WorkOrder.objects.get().description == "夜里施工噪声很大。"
