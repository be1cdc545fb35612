"""A request's description has one cap (DESCRIPTION_MAX_LENGTH): a megabyte pasted into the
intake form, the portal, the API, Open311 or an import was stored and shown. Each path refuses
it on the description, keeps what was typed on the pages, and stores nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hotline.interchange.orders import import_orders
from hotline.interchange.tables import read_table
from hotline.orders import actions
from hotline.orders.models import DESCRIPTION_MAX_LENGTH, WorkOrder
from hotline.orders.rules import InvalidInput
from tests.api.conftest import api, error_of  # noqa: F401  (the API client fixture)
from tests.interchange.conftest import csv_file
from tests.interchange.test_orders import HEADER, row
from tests.open311.conftest import api_key  # noqa: F401  (a partner's key)
from tests.open311.test_georeport import post as open311_post
from tests.portal.test_portal import submit
from tests.web.test_intake_once import _call

TOO_LONG = "路" * (DESCRIPTION_MAX_LENGTH + 1)
AT_CAP = "路" * DESCRIPTION_MAX_LENGTH


def test_the_action_refuses_an_overlong_description(district):
    with pytest.raises(InvalidInput) as refused:
        actions.register(district.olga, title="路灯不亮", description=TOO_LONG)
    assert refused.value.field == "description" and str(DESCRIPTION_MAX_LENGTH) in str(
        refused.value
    )
    assert not WorkOrder.objects.exists()
    actions.register(district.olga, title="路灯不亮", description=AT_CAP)


def test_the_intake_form_says_so_beside_the_box_and_keeps_the_text(client, district):
    client.force_login(district.olga)
    page = client.post(
        reverse("intake"),
        _call(district, submission="intake-token-0123456789ab", description=TOO_LONG),
    )
    assert page.status_code == 200 and not WorkOrder.objects.exists()
    assert page.context["form"].errors.get("description")
    assert TOO_LONG in page.content.decode()


def test_the_portal_says_so_beside_the_box_and_keeps_the_text(district):
    citizen = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = submit(citizen, district, description=TOO_LONG)
    assert page.status_code == 200 and not WorkOrder.objects.exists()
    assert page.context["form"].errors.get("description")
    html = page.content.decode()
    assert TOO_LONG in html and 'maxlength="' not in html.split('name="description"')[1][:200]
    # The cap is the orders' one: longer than the portal's old 2,000 is a request.
    assert submit(citizen, district, description="路" * 3000).status_code == 302


def test_the_api_refuses_it_on_the_field(api, district):  # noqa: F811
    response = api(district.olga).post("/orders", {"title": "路灯不亮", "description": TOO_LONG})
    assert response.status_code == 422 and "description" in str(error_of(response))
    assert not WorkOrder.objects.exists()


def test_open311_refuses_it_with_the_photo_line_counted(district, api_key):  # noqa: F811
    client = Client()
    refused = open311_post(client, api_key, description=TOO_LONG)
    assert refused.status_code == 400 and str(DESCRIPTION_MAX_LENGTH) in refused.content.decode()
    # At the cap with a photo's address, the stored text would pass it: refused here, not a 500.
    with_photo = open311_post(
        client, api_key, description=AT_CAP, media_url="https://example.org/p.jpg"
    )
    assert with_photo.status_code == 400
    assert not WorkOrder.objects.exists()
    assert open311_post(client, api_key, description=AT_CAP).status_code == 200
    assert WorkOrder.objects.get().description == AT_CAP


def test_an_import_row_over_it_is_an_error_on_its_row(district, tmp_path):
    path = csv_file(tmp_path / "o.csv", [HEADER, row(), row(description=TOO_LONG)])
    with open(path, "rb") as source:
        report = import_orders(read_table(source, "csv"), actor=district.olga)
    assert [(e.row, e.column) for e in report.errors] == [(3, "description")]
    assert not WorkOrder.objects.exists()


def test_the_portal_counts_a_line_break_as_one_character(district):
    """Review: browsers send a textarea's line breaks as CRLF; the portal counted them as two,
    so a description at the cap typed on five lines was refused."""
    citizen = Client(HTTP_ACCEPT_LANGUAGE="en")
    lines = ["路" * 799] * 5  # 3,995 characters and four line breaks: 3,999
    assert submit(citizen, district, description="\r\n".join(lines)).status_code == 302
    assert WorkOrder.objects.get().description == "\n".join(lines)


def test_an_import_counts_a_line_break_as_one_character(district, tmp_path):
    """Review: a cell's CRLF line breaks counted as two characters, so a description the
    action accepts was refused on its row."""
    text = "\r\n".join(["路" * 199] * 20)  # 3,980 characters and 19 line breaks: 3,999
    path = csv_file(tmp_path / "o.csv", [HEADER, row(description=text)])
    with open(path, "rb") as source:
        report = import_orders(read_table(source, "csv"), actor=district.olga)
    assert not report.errors
    assert WorkOrder.objects.get().description == text.replace("\r\n", "\n")
