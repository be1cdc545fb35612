"""The dashboard keeps ended periods' figures in stores of their own (h4, session 24, H): every
``from``/``to`` pair was kept in the shared ``default`` cache, 85 KB and one to four seconds each,
so a dispatcher looping over the ~65,000 pairs the page accepts pushed out the hall's estimates
and the dispatch rows kept there. Whole months in one store; since session 29 (h5) the other
ended periods in another, smaller one, so that such a loop pushes out only its own pairs.

March 2023's story (tests/assessment/conftest.py); March has ended whatever day the suite runs."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings as settings_module
from django.core.cache import caches
from django.urls import reverse

from hotline.assessment import dashboard as data
from hotline.assessment import hall, kpis
from tests.assessment.hall_morning import morning
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")
FIRST, LAST = dt.date(2023, 3, 1), dt.date(2023, 3, 31)
#: Periods that are not one whole calendar month, all ended.
CUSTOM = [
    ("2023-03-02", "2023-03-31"),
    ("2023-03-01", "2023-03-30"),
    ("2023-03-03", "2023-03-29"),
    ("2023-02-15", "2023-03-14"),
    ("2023-01-01", "2023-03-31"),  # a quarter
    ("2022-04-01", "2023-03-31"),  # a year
]


@pytest.fixture
def centre(district):
    town = make_hall(district)
    morning(town)
    return town


def _figures_kept() -> dict[str, list[str]]:
    """The dashboard figures' keys in every store (local memory: each store's own dict)."""
    return {
        alias: [key for key in caches[alias]._cache if "dashboard-figures" in key]  # type: ignore[attr-defined]
        for alias in caches.settings
    }


def _load(client, query: str) -> int:
    """Loads the page; how often the period's figures were computed."""
    with (
        mock.patch.object(kpis, "compute", wraps=kpis.compute) as compute,
        mock.patch.object(hall, "hall_figures", wraps=hall.hall_figures) as halls,
    ):
        response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content[:300]
    return (
        sum(
            1
            for call in compute.call_args_list
            if call.kwargs.get("centres", True)  # the period's own, not a trend month's
        )
        + halls.call_count
    )


def test_a_custom_period_is_kept_in_a_store_of_its_own_apart_from_the_months(
    client, district, march, centre
):
    # Session 29 (h5): an ended custom period is kept too (it took 1.2 s of CPU on every load),
    # in a store of its own, never in ``default`` nor beside the months.
    client.force_login(district.dan)
    for first, last in CUSTOM:
        assert _load(client, f"from={first}&to={last}") == 2
    kept = _figures_kept()
    assert len(kept[data.RANGE_CACHE]) == len(CUSTOM)
    assert all(keys == [] for alias, keys in kept.items() if alias != data.RANGE_CACHE), kept
    # Asked again: read from that store, not computed.
    first, last = CUSTOM[0]
    assert _load(client, f"from={first}&to={last}") == 0


def test_a_loop_over_custom_periods_pushes_out_only_custom_periods(district, march, centre):
    data.period_figures(FIRST, LAST)  # March, kept in the months' store
    capacity = settings_module.CACHES[data.RANGE_CACHE]["OPTIONS"]["MAX_ENTRIES"]
    first = dt.date(2022, 3, 2)  # from March 2nd: none of them a whole month
    for days in range(capacity + 10):  # more periods than the store holds
        data.period_figures(first, first + dt.timedelta(days=days))
    kept = _figures_kept()
    assert len(kept[data.PERIOD_CACHE]) == 1
    assert 0 < len(kept[data.RANGE_CACHE]) <= capacity
    assert all(keys == [] for alias, keys in kept.items() if alias not in data.STORES)


def test_an_ended_month_is_kept_in_its_own_store_and_read_from_it(client, district, march, centre):
    client.force_login(district.leo)
    assert _load(client, "month=2023-03") == 2
    kept = _figures_kept()
    assert len(kept[data.PERIOD_CACHE]) == 1
    assert all(keys == [] for alias, keys in kept.items() if alias != data.PERIOD_CACHE)
    assert _load(client, "month=2023-03") == 0
    # The same month asked as its days is the same figures.
    assert _load(client, "from=2023-03-01&to=2023-03-31") == 0
    assert _load(client, "month=2023-02") == 2  # another month is its own entry
    assert len(_figures_kept()[data.PERIOD_CACHE]) == 2


def test_the_months_store_is_bounded(settings):
    assert settings.CACHES[data.PERIOD_CACHE]["OPTIONS"]["MAX_ENTRIES"] <= 200
    assert settings.CACHES[data.PERIOD_CACHE]["LOCATION"] != settings.CACHES["default"].get(
        "LOCATION"
    )
    assert settings.CACHES[data.RANGE_CACHE]["OPTIONS"]["MAX_ENTRIES"] <= 50
    assert len({settings.CACHES[alias]["LOCATION"] for alias in settings.CACHES}) == len(
        settings.CACHES
    )
