"""Extreme dates (year 1, year 9999) anywhere a date is typed (issue 13, items 13 and 17).

They used to overflow the time-zone arithmetic: a 500 on the dashboard, the report, hotspots,
drill-down, the sampling draw, the API's registered_from/to and Open311's start_date/end_date, and
supervise accepted a deadline of 9999-12-31. One range (2000-01-01 … 2100-12-31,
hotline.assessment.periods) and a clear refusal in each interface's format.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from hotline.assessment import periods
from hotline.orders import actions
from hotline.orders.rules import InvalidInput
from hotline.org.models import ApiToken
from tests.conftest import at
from tests.orders.factory import order_in
from tests.web.test_order_pages import page

EXTREMES = [("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")]


@pytest.mark.parametrize(("first", "last"), EXTREMES)
@pytest.mark.parametrize("name", ["dashboard", "kpi_orders", "dashboard_hotspots"])
def test_dashboard_pages_refuse_a_period_out_of_range_without_a_500(
    client, district, name, first, last
):
    response = page(
        client, district.leo, reverse(name), data={"from": first, "to": last, "kpi": "sign_for"}
    )
    assert response.status_code == 400
    assert "2000-01-01" in response.content.decode()  # the message names the range


@pytest.mark.parametrize("name", ["dashboard", "kpi_orders", "dashboard_hotspots"])
@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2023-13", "march"])
def test_dashboard_pages_answer_an_absurd_month_with_a_400(client, district, name, month):
    response = page(client, district.leo, reverse(name), data={"month": month, "kpi": "sign_for"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])
def test_the_report_of_an_absurd_month_is_a_400(client, district, month):
    response = page(client, district.leo, reverse("monthly_report"), data={"month": month})
    assert response.status_code == 400


@pytest.mark.parametrize(("first", "last"), EXTREMES)
def test_the_sampling_draw_names_the_date_out_of_range(client, district, first, last):
    client.force_login(district.sam)
    response = client.post(
        reverse("sample_draws"), {"size": 2, "strategy": "simple", "start": first, "end": last}
    )
    assert response.status_code in (200, 400, 422)
    assert "2000-01-01" in response.content.decode()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_api_refuses_an_absurd_registration_day_in_json(district, day):
    _token, raw = ApiToken.issue(district.dan, name="tests")
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get(
        "/api/v1/orders", {"registered_from": day, "registered_to": day}
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/json")
    assert "2000-01-01" in response.json()["detail"] + str(response.json().get("errors"))


@pytest.mark.parametrize(
    ("start", "end"),
    [("0001-01-01T00:00:00Z", "0001-01-02T00:00:00Z"), ("9999-12-30T00:00:00Z", None)],
)
def test_open311_answers_an_absurd_date_with_its_error_document(district, start, end):
    params = {"start_date": start, **({"end_date": end} if end else {})}
    response = Client().get("/open311/v2/requests.xml", params)
    assert response.status_code == 400
    assert ET.fromstring(response.content).find("error/code").text == "400"


def test_a_supervision_deadline_in_year_9999_is_refused(district):
    order = order_in("accepted", district)
    with pytest.raises(InvalidInput) as refused:
        actions.supervise(
            order,
            district.sam,
            due=dt.datetime(9999, 12, 31, tzinfo=dt.UTC),
            now=at("2023-03-09 10:00"),
        )
    assert refused.value.field == "due"


def test_a_supervision_deadline_a_month_ahead_is_fine(district):
    order = order_in("accepted", district)
    event = actions.supervise(
        order, district.sam, due=at("2023-04-07 17:00"), now=at("2023-03-09 10:00")
    )
    assert event.payload["due"].startswith("2023-04-07")


def test_one_range_for_every_day():
    assert periods.parse_day("2023-03-09") == dt.date(2023, 3, 9)
    for text in ("0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", "2023-3-9x"):
        with pytest.raises(periods.PeriodError):
            periods.parse_day(text)
