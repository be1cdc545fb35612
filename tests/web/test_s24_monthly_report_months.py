"""The monthly Excel report is built for a month up to this one, as the dashboard reads (brief,
session 24, after c778f07): any month 2000–2100 was built, each request reading the month
whole. A later month, no month or a malformed one is a 400 that says why, in Chinese by default
and in English; never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import at
from tests.web.test_order_pages import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(time_machine):
    time_machine.move_to(at("2026-12-06 10:00"), tick=False)


@pytest.mark.parametrize("month", ["2027-01", "2030-06", "2100-12"])
def test_leo_is_refused_a_report_of_a_month_after_this_one(client, district, today, month):
    chinese = page(client, district.leo, reverse("monthly_report"), data={"month": month})
    english = page(
        client,
        district.leo,
        reverse("monthly_report"),
        data={"month": month},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert chinese.status_code == english.status_code == 400
    assert "统计时段最晚截至本月底（2026-12-31）" in chinese.content.decode()
    assert "at the end of this month (2026-12-31) at the latest" in english.content.decode()
    assert chinese["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("month", ["2026-12", "2026-11", "2000-01"])
def test_this_month_and_earlier_ones_are_still_built(client, district, today, month):
    response = page(client, district.leo, reverse("monthly_report"), data={"month": month})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="hotline-report-{month}.xlsx"'


@pytest.mark.parametrize(
    "month",
    ["", "2026-13", "2026-12-01", "march", "1999-12", "99999999999999999999-01", "2026-"],
)
def test_a_malformed_or_absurd_month_is_a_400_not_a_500(client, district, today, month):
    response = page(
        client,
        district.leo,
        reverse("monthly_report"),
        data={"month": month},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "That period could not be read" in response.content.decode()


def test_a_month_in_full_width_digits_is_the_same_month(client, district, today):
    response = page(
        client, district.leo, reverse("monthly_report"), data={"month": "２０２６-１１"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hotline-report-2026-11.xlsx"'


@pytest.mark.parametrize("name", ["dashboard", "kpi_orders", "dashboard_hotspots"])
def test_the_dashboards_answer_a_twenty_digit_year_with_a_400(client, district, today, name):
    # month_days let the OverflowError of dt.date(10**19, ...) through: a 500.
    response = page(client, district.leo, reverse(name), data={"month": "99999999999999999999-01"})
    assert response.status_code == 400
