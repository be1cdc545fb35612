"""The leader's 办件与好差评 table counts each hall's 帮办 and 代办 (walk-through, session 25,
B-H3): the dashboard had no figure of them at all."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from hotline.assessment import hall_cases, periods
from hotline.assistance import actions
from tests.conftest import at
from tests.hall.conftest import make_hall
from tests.web.test_order_pages import page

pytestmark = pytest.mark.django_db


def test_the_halls_help_and_proxy_records_of_the_month_are_counted(client, district):
    town = make_hall(district)
    with time_machine.travel(at("2025-03-04 10:00"), tick=False):
        actions.start_help(town.hall, town.wendy, matters=[town.residence])
        actions.start_help(town.hall, district.leo, matters=[town.residence])
        actions.start_proxy(
            town.hall,
            town.hugo,
            matters=[town.allowance],
            applicant_name="王老伯",
            authoriser_name="王老伯",
            authorisation_ref="WT-1",
            authorised_until=dt.date(2025, 12, 31),
        )
    with time_machine.travel(at("2025-04-01 10:00"), tick=False):
        actions.start_help(town.hall, town.wendy, matters=[town.residence])  # April's
        march = hall_cases.figures(*periods.month("2025-03"))[town.hall.code]
        response = page(client, district.leo, reverse("dashboard") + "?month=2025-03")
    assert (march.helped, march.proxied) == (2, 1)
    html = response.content.decode()
    cell = html[html.index('data-figure="assisted"') :]
    assert cell[: cell.index("</td>")].endswith(">2 / 1")
    assert "<th>帮办 / 代办</th>" in html
