"""The dashboard's figures of an ended period come from the cache on the next load, and anything
they read that changes shows at once (session 23, M1: every warm load took over a second).

March 2023's story (tests/assessment/conftest.py) with 大宁路街道's hall morning; March has
ended whatever day the suite runs."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hotline import clock
from hotline.assessment import dashboard as data
from hotline.assessment import hall, kpis
from hotline.assessment.models import KpiSettings
from hotline.hall import actions as hall_actions
from hotline.orders import actions
from hotline.orders.models import Satisfaction
from hotline.org.models import Unit
from tests.assessment.hall_morning import morning
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

URL = reverse("dashboard") + "?month=2023-03"
FIRST, LAST = dt.date(2023, 3, 1), dt.date(2023, 3, 31)


@pytest.fixture
def centre(district):
    town = make_hall(district)
    morning(town)
    return town


def _load(client):
    """The page, the queries it took, and how often the period's figures were computed."""
    with (
        mock.patch.object(kpis, "compute", wraps=kpis.compute) as compute,
        mock.patch.object(hall, "hall_figures", wraps=hall.hall_figures) as halls,
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get(URL)
    assert response.status_code == 200
    return response, len(queries), compute.call_count + halls.call_count


def _cell(response, code: str, kpi: str) -> tuple[int, int]:
    ratio = response.context["report"].unit(code).ratios[kpi]
    return ratio.numerator, ratio.denominator


def test_the_second_load_of_an_ended_month_reads_its_figures_from_the_cache(
    client, district, march, centre
):
    client.force_login(district.leo)
    cache.clear()
    first, cold, computed = _load(client)
    assert computed == 7  # the month's KPIs and halls, and the five other trend months' KPIs
    second, warm, computed = _load(client)
    assert computed == 0
    # The figures' own queries are gone: what is left is the session, the data version and the
    # page's light parts (days, categories, the trend's stamp, self-service, appeals, 知识库).
    assert warm <= cold - 20 and warm <= 25, (cold, warm)
    assert second.context["report"].units == first.context["report"].units
    assert [h["figures"] for h in second.context["halls"]] == [
        h["figures"] for h in first.context["halls"]
    ]
    assert second.content.count(b"/dashboard/orders?") == first.content.count(b"/dashboard/orders?")


def test_an_order_imported_into_the_ended_month_shows_on_the_next_load(client, district, march):
    from tests.orders.test_assign_inside_kpis import _handled

    client.force_login(district.leo)
    cache.clear()
    before, _, _ = _load(client)
    volume = before.context["report"].unit("jnl").volume
    # Events dated in March, written now (as a history import writes them).
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        _handled(district, inside=False, satisfaction=Satisfaction.SATISFIED)
    after, _, computed = _load(client)
    assert computed >= 2
    assert after.context["report"].unit("jnl").volume == volume + 1


def test_an_appeal_approved_after_the_month_shows_on_the_next_load(client, district, march):
    client.force_login(district.leo)
    cache.clear()
    before, _, _ = _load(client)
    assert _cell(before, "jnl", kpis.SATISFACTION) == (2, 3)
    b = march.b
    b.refresh_from_db()
    actions.appeal(b, district.una, kpi=kpis.SATISFACTION, reason="诉求超出政策范围，已解释")
    b.refresh_from_db()
    actions.approve_appeal(b, district.sam, note="理由成立")  # today, long after March
    after, _, _ = _load(client)
    assert _cell(after, "jnl", kpis.SATISFACTION) == (2, 2)


def test_a_ticket_event_a_unit_renamed_in_the_admin_and_new_weights_show_on_the_next_load(
    client, district, march, centre
):
    client.force_login(district.leo)
    cache.clear()
    before, _, _ = _load(client)
    issued = before.context["halls"][0]["figures"].issued
    hall_actions.issue(centre.hall, centre.residence, now=at("2023-03-09 11:00"))
    after, _, _ = _load(client)
    assert after.context["halls"][0]["figures"].issued == issued + 1
    # A unit renamed in the admin (which logs the change), and new KPI weights.
    street = Unit.objects.get(code="jnl")
    street.name = "江宁路街道（新）"
    street.save()
    LogEntry.objects.log_actions(district.ada.pk, [street], CHANGE, change_message="name")
    renamed, _, _ = _load(client)
    assert renamed.context["report"].unit("jnl").name == "江宁路街道（新）"
    score = renamed.context["report"].unit("jnl").score
    KpiSettings.objects.filter(pk=KpiSettings.SINGLETON_PK).update(weight_sign_for=0)
    reweighed, _, _ = _load(client)
    assert reweighed.context["report"].unit("jnl").score != score


def test_a_period_still_running_is_computed_on_every_load(district):
    today = clock.today()
    with mock.patch.object(kpis, "compute", wraps=kpis.compute) as compute:
        data.period_figures(today.replace(day=1), today)
        data.period_figures(today.replace(day=1), today)
    assert compute.call_count == 2


def test_the_windows_labels_are_kept_per_language(district, march, centre):
    cache.clear()
    with translation.override("en"):
        english, _ = data.period_figures(FIRST, LAST)
    with translation.override("zh-hans"):
        chinese, _ = data.period_figures(FIRST, LAST)
    assert english.months[0].windows[0].label.startswith("Window")
    assert chinese.months[0].windows[0].label.endswith("号窗口")
