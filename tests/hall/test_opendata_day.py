"""The open data's daily statistics take the day as YYYY-MM-DD in the range of every date the
product accepts. Before, /daily/0 answered 1970-01-01 and /daily/1700006400 2023-11-15 (pydantic
read a number as a Unix time) and /daily/0001-01-01 or 9999-12-31 a day of zeros, as if they
were statistics; other API inputs refuse them (hotline.api.bodies, periods.in_range)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day", ["0", "86400", "1700006400", "0001-01-01", "1999-12-31", "9999-12-31"]
)
def test_a_day_that_is_no_day_of_ours_is_refused(client, town, day):
    response = client.get(f"/api/v1/open/halls/dnl/daily/{day}")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input" and body["field"] == "day"


def test_a_day_in_the_range_is_answered(client, town):
    response = client.get("/api/v1/open/halls/dnl/daily/2023-03-09")
    assert response.status_code == 200 and response.json()["day"] == "2023-03-09"
    assert client.get("/api/v1/open/halls/nowhere/daily/2023-03-09").status_code == 404


def test_a_mangled_date_says_what_to_give(client, town):
    body = client.get("/api/v1/open/halls/dnl/daily/2026-13-01").json()
    assert body["error"] == "invalid_input" and body["field"] == "day"
    schema = client.get("/api/v1/openapi.json").json()
    [param] = [
        p
        for p in schema["paths"]["/api/v1/open/halls/{code}/daily/{day}"]["get"]["parameters"]
        if p["name"] == "day"
    ]
    assert "YYYY-MM-DD" in param["description"]
