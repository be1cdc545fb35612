"""The dashboard's pages refuse a period of more than a year and one ending after this month
(session 23, h4 F8: any period 2000–2100 was read whole, every request, by any dispatcher)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import at
from tests.web.test_order_pages import page

pytestmark = pytest.mark.django_db

PAGES = ["dashboard", "kpi_orders", "dashboard_hotspots"]


@pytest.fixture
def today(time_machine):
    time_machine.move_to(at("2026-12-06 10:00"), tick=False)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("first", "last"),
    [("2000-01-01", "2100-12-31"), ("2024-01-01", "2025-01-01"), ("2025-06-01", "2026-06-02")],
)
def test_a_period_longer_than_a_year_is_a_400_naming_the_limit(
    client, district, today, name, first, last
):
    with translation.override("en"):
        response = page(
            client,
            district.leo,
            reverse(name),
            data={"from": first, "to": last, "kpi": "sign_for", "unit": "jnl"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert "at most 366 days" in response.content.decode()
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-12-01", "to": "2027-01-01"},
        {"from": "2099-01-01", "to": "2099-01-31"},
        {"month": "2027-01"},
        {"month": "2100-12"},
    ],
)
def test_a_period_ending_after_this_month_is_a_400(client, district, today, name, query):
    response = page(client, district.leo, reverse(name), data={**query, "kpi": "sign_for"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "2026-12-31" in html  # the latest end it takes
    assert 'role="alert"' in html


def test_the_refusals_read_in_chinese_by_default(client, district, today):
    response = page(client, district.leo, reverse("dashboard"), data={"month": "2027-01"})
    assert response.status_code == 400
    problem = response.context["problem"]
    assert "本月底（2026-12-31）" in problem, problem
    long = page(
        client, district.leo, reverse("dashboard"), data={"from": "2024-01-01", "to": "2025-12-31"}
    )
    assert "366" in long.context["problem"] and "天" in long.context["problem"]


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2025-12-01", "to": "2026-11-30"},  # 365 days
        {"from": "2023-01-01", "to": "2024-01-01"},  # 366 days (2023 is no leap year)
        {"from": "2026-12-01", "to": "2026-12-31"},  # this month, to its end
        {"month": "2026-12"},
        {"month": "2026-11"},
        {},
    ],
)
def test_a_year_or_less_up_to_this_months_end_is_shown(client, district, today, query):
    response = page(client, district.leo, reverse("dashboard"), data=query)
    assert response.status_code == 200
