"""Masking keeps at least half of a number's digits hidden at any length (issue 13, items 9, 12).

An 8-digit Shanghai landline showed 7 of its 8 digits (``623*5678``) and the logs missed it; the
access log kept numbers written with separators or glued to a percent-encoded byte. One rule now
serves pages, the API, exports, logs and the access log: at most the last four digits show, and
never more than half.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import mask_phone
from hotline.org.models import ApiToken
from hotline.security.masking import mask_text
from tests.api.conftest import ApiClient
from tests.interchange.conftest import read_xlsx, run
from tests.orders.factory import new_order

LANDLINE = "62345678"


@pytest.mark.parametrize(
    "phone", ["12345", "623456", "6234567", LANDLINE, "021623456", "13812345678", "057187654321"]
)
def test_at_least_half_of_the_digits_are_hidden_at_any_length(phone):
    masked = mask_phone(phone)
    assert len(masked) == len(phone)
    assert masked.count("*") * 2 >= len(phone)
    assert masked.endswith(phone[-(len(phone) // 2) :][-4:])


def landline_order_at_the_street(district):
    order = new_order(district, citizen_phone=LANDLINE)
    actions.dispatch(order, district.dan, lead_unit=district.street)
    return order


def test_una_sees_a_landline_masked_on_the_page_and_in_the_api(client, district):
    order = landline_order_at_the_street(district)
    client.force_login(district.una)

    html = client.get(reverse("order_detail", args=[order.number])).content.decode()
    _token, raw = ApiToken.issue(district.una, name="tests")
    shown = ApiClient(raw).get(f"/orders/{order.number}").json()["citizen_phone"]

    assert "****5678" in html and LANDLINE not in html and "623*5678" not in html
    assert shown == "****5678"


def test_a_units_export_masks_a_landline(district, tmp_path):
    landline_order_at_the_street(district)
    out = tmp_path / "orders.xlsx"

    run("export_data", "orders", "--out", str(out), "--user", "una")

    header, row = read_xlsx(out)[:2]
    assert row[header.index("citizen_phone")] == "****5678"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("市民来电 62345678", "市民来电 ****5678"),
        ("座机 6234 5678", "座机 **** 5678"),
        ("phone=139+1234+5678", "phone=***+****+5678"),
        ("phone=139-1234-5678", "phone=***-****-5678"),
        ("phone=139%201234%205678", "phone=***%20****%205678"),
        ("q=%E5%8F%B713812345678", "q=%E5%8F%B7*******5678"),
        ("q=%2B8613812345678", "q=%2B86*******5678"),
        (
            "工单20230309-000123 于 2023-03-09 10:00:00",
            "工单20230309-000123 于 2023-03-09 10:00:00",
        ),
    ],
)
def test_logs_mask_landlines_separated_and_percent_encoded_numbers(text, masked):
    assert mask_text(text) == masked


def test_the_access_log_masks_a_number_typed_with_separators():
    from gunicorn.config import Config

    from hotline.security.gunicorn import MaskedAccessLogger

    class Response:
        status, sent, headers = "200 OK", 10, []

    query = "citizen_phone=139+1234+5678&q=%E5%8F%B713812345678"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/intake/caller-history?{query}",
        "PATH_INFO": "/intake/caller-history",
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }

    atoms = MaskedAccessLogger(Config()).atoms(Response(), {}, environ, dt.timedelta(0))

    logged = json.dumps(atoms)
    assert "1234+5678" not in logged and "13812345678" not in logged
