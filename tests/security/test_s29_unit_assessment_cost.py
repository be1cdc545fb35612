"""A unit's own assessment page (本单位考核) does not compute the district's KPIs on every load
(attack, session 29, h7 F3).

Each load computes every unit's KPIs and every hall's figures (the dashboard's
``period_figures``): 1.6-2.2 s on the demo. The dashboard is for a few leaders; this page is
every unit handler's (145 on the demo), and Una could ask for any of about 65,000 ``?from=&to=``
periods, any month since 2000, or reload the running month, each computed again. The page reads
the last twelve months only, whole, and reuses a month's figures a minute (the running month) or
five (an ended one).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from hotline.assessment import dashboard as data
from hotline.assessment import kpis
from tests.conftest import at
from tests.orders.factory import new_order


@pytest.fixture
def computed(monkeypatch):  # type: ignore[no-untyped-def]
    """The first and last day of each period whose KPIs were computed, in order."""
    caches[data.PERIOD_CACHE].clear()
    periods: list[tuple[dt.date, dt.date]] = []
    real = kpis.compute

    def compute(start, end, **kwargs):  # type: ignore[no-untyped-def]
        last = timezone.localtime(end - dt.timedelta(microseconds=1)).date()
        periods.append((timezone.localtime(start).date(), last))
        return real(start, end, **kwargs)

    monkeypatch.setattr(kpis, "compute", compute)
    return periods


@pytest.mark.parametrize(
    "query", ["?from=2022-04-05&to=2023-04-04", "?from=2023-03-01&to=2023-03-31", "?month=2022-04"]
)
def test_other_periods_are_refused_before_anything_is_computed(client, district, computed, query):
    client.force_login(district.una)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        response = client.get(reverse("unit_kpis") + query)
    assert response.status_code == 400
    assert 'data-testid="period-problem"' in response.content.decode()
    assert computed == []


def test_the_running_month_is_computed_once_a_minute(client, district, computed):
    client.force_login(district.una)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False) as clock:
        for _ in range(3):
            assert client.get(reverse("unit_kpis") + "?month=2023-04").status_code == 200
        assert len(computed) == 1
        clock.shift(dt.timedelta(seconds=61))
        assert client.get(reverse("unit_kpis") + "?month=2023-04").status_code == 200
    assert len(computed) == 2


def test_an_ended_month_is_computed_once_in_five_minutes(client, district, computed):
    """Though the district goes on working between the loads (a new order each minute, which
    changes the dashboard's data version)."""
    client.force_login(district.una)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False) as clock:
        for _ in range(3):
            assert client.get(reverse("unit_kpis") + "?month=2023-03").status_code == 200
            new_order(district)
            clock.shift(dt.timedelta(minutes=1))
    assert computed == [(dt.date(2023, 3, 1), dt.date(2023, 3, 31))]


def test_the_twelfth_month_back_still_reads(client, district, computed):
    client.force_login(district.una)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        assert client.get(reverse("unit_kpis") + "?month=2022-05").status_code == 200
        assert client.get(reverse("unit_kpis")).status_code == 200  # the last complete month
    assert computed == [
        (dt.date(2022, 5, 1), dt.date(2022, 5, 31)),
        (dt.date(2023, 3, 1), dt.date(2023, 3, 31)),
    ]


@pytest.mark.parametrize("query", ["?from=2022-04-05&to=2023-04-04", "?month=2022-04"])
def test_the_orders_behind_a_number_are_read_for_the_pages_months_only(client, district, query):
    """The drill-down reads one unit's orders, cheaper, but any of the 65,000 periods as well."""
    client.force_login(district.una)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        refused = client.get(
            reverse("unit_kpi_orders") + query + f"&kpi={kpis.VOLUME}&unit=jnl&part=denominator"
        )
        month = client.get(
            reverse("unit_kpi_orders") + f"?month=2022-05&kpi={kpis.VOLUME}&unit=jnl&part=numerator"
        )
    assert refused.status_code == 400
    assert reverse("unit_kpis") in refused.content.decode()  # the way back
    assert month.status_code == 200
