"""Ada, the administrator, reads the corrections report on a page of the model's admin (she never
runs a CLI): near-identical orders that ended with different units, each order linked, filtered,
as CSV or Excel. Only staff with the model's permission see it."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.dispatch.history import complaint_for
from tests.dispatch.test_conflicting_units import LIFT, LIFT_TRADITIONAL, dispatched

PAGE = "admin:dispatch_dispatchmodel_conflicts"


@pytest.fixture
def ada(district):
    district.ada.is_staff = district.ada.is_superuser = True
    district.ada.save(update_fields=["is_staff", "is_superuser"])
    return district.ada


@pytest.fixture
def lifts(district, units):
    d = district
    return (
        dispatched(d, LIFT, units["b3"]),
        dispatched(d, LIFT_TRADITIONAL, units["b1"]),
        dispatched(d, complaint_for("b4", seed=1), units["b4"]),
    )


def test_ada_opens_the_report_from_the_model_list_and_each_order_is_linked(
    client, ada, units, lifts
):
    client.force_login(ada)
    listing = client.get(reverse("admin:dispatch_dispatchmodel_changelist")).content.decode()
    assert reverse(PAGE) in listing

    html = client.get(reverse(PAGE)).content.decode()

    first, second, other = lifts
    assert html.count('data-testid="conflict-row"') == 1
    for order in (first, second):
        assert f'href="{reverse("order_detail", args=[order.number])}"' in html
    assert other.number not in html
    assert units["b1"].name in html and units["b3"].name in html


def test_the_filters_narrow_the_list_and_bad_values_are_said(client, ada, units, lifts):
    client.force_login(ada)
    assert (
        'data-testid="conflict-row"'
        in client.get(reverse(PAGE), {"unit": units["b3"].name[:3]}).content.decode()
    )
    html = client.get(reverse(PAGE), {"unit": "b4"}).content.decode()
    assert 'data-testid="conflict-row"' not in html and 'data-testid="no-conflicts"' in html
    refused = client.get(reverse(PAGE), {"days": "-5", "similar": "7"})
    assert refused.status_code == 200
    assert refused.content.decode().count('data-testid="filter-error"') == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_list_is_exported(client, ada, units, lifts, fmt):
    client.force_login(ada)
    response = client.get(reverse(PAGE), {"format": fmt})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [
            [str(c) if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)
        ]
    first, second, _other = lifts
    assert {r[6] for r in rows[1:]} == {first.number, second.number}
    assert {r[5] for r in rows[1:]} == {"b1", "b3"}


def test_only_staff_with_the_models_permission_see_it(client, district, lifts):
    client.force_login(district.dan)  # a dispatcher, not staff
    assert client.get(reverse(PAGE)).status_code == 302  # to the admin's login
    district.dan.is_staff = True
    district.dan.save(update_fields=["is_staff"])
    assert client.get(reverse(PAGE)).status_code == 403


NOISE = "路灯不亮已经一个星期了，晚上出行很不方便，请尽快派人维修路灯。"


def test_the_unit_filter_finds_a_pair_below_the_busiest_shown(
    client, district, ada, units, monkeypatch
):
    """Review: the unit filter read only the busiest CONFLICTS_SHOWN pairs, so a unit whose
    pairs ranked below them read "none found"."""
    from hotline.dispatch import admin as dispatch_admin

    d = district
    dispatched(d, LIFT, units["b3"])
    dispatched(d, LIFT_TRADITIONAL, units["b1"])
    for _ in range(2):  # b2 and b4: four pairs, ranked first
        dispatched(d, NOISE, units["b2"])
        dispatched(d, NOISE, units["b4"])
    monkeypatch.setattr(dispatch_admin, "CONFLICTS_SHOWN", 1)
    client.force_login(ada)
    html = client.get(reverse(PAGE), {"unit": "b1"}).content.decode()
    assert html.count('data-testid="conflict-row"') == 1


def test_the_export_leaves_out_titles_the_reader_may_not_see(client, district, units):
    """Review: the page asks only the model's view permission, which a unit's handler may be
    given; the export then carried the titles of other units' orders."""
    from django.contrib.auth.models import Permission

    d = district
    first = dispatched(d, LIFT, units["b3"])
    second = dispatched(d, LIFT_TRADITIONAL, units["b1"])
    victor = d.victor  # a bureau's handler: neither order is his
    victor.is_staff = True
    victor.save(update_fields=["is_staff"])
    victor.user_permissions.add(Permission.objects.get(codename="view_dispatchmodel"))
    client.force_login(victor)
    answer = client.get(reverse(PAGE), {"format": "csv"})
    assert answer.status_code == 200
    body = answer.content.decode("utf-8-sig")
    assert first.number in body and second.number in body
    assert first.title not in body and second.title not in body


def test_the_page_says_when_the_cap_cut_the_period(client, ada, lifts, monkeypatch):
    from hotline.dispatch import conflicts

    client.force_login(ada)
    assert 'data-testid="conflict-capped"' not in client.get(reverse(PAGE)).content.decode()
    monkeypatch.setattr(conflicts, "MAX_ORDERS", 2)
    html = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="conflict-capped"' in html and "2" in html


def test_a_unit_in_no_pair_is_said_so(client, ada, lifts):
    """With pairs found but none for the unit typed, the page said 'none found: lower the
    similarity or look further back' — as if the period had none."""
    client.force_login(ada)
    html = client.get(reverse(PAGE), {"unit": "不存在的单位"}).content.decode()
    assert 'data-testid="no-conflicts"' in html
    assert "均不涉及“不存在的单位”" in html and "未发现：可降低相似度" not in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_says_when_the_cap_cut_the_period(client, ada, lifts, monkeypatch, fmt):
    """The page said the cap cut the period; its export, read on its own, passed for the
    whole period. The file ends with the page's sentence, in the reader's language."""
    from hotline.dispatch import conflicts

    def rows(**headers):
        answer = client.get(reverse(PAGE), {"format": fmt}, **headers)
        if fmt == "csv":
            return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
        sheet = load_workbook(io.BytesIO(answer.content)).active
        return [[c for c in r if c is not None] for r in sheet.iter_rows(values_only=True)]

    client.force_login(ada)
    whole = rows()
    assert all(len(r) == 8 for r in whole)  # no note
    monkeypatch.setattr(conflicts, "MAX_ORDERS", 2)
    cut = rows()
    assert cut[0] == whole[0] and all(len(r) == 8 for r in cut[:-2])
    assert not any(cut[-2]) and cut[-1][0].startswith("最近90天的工单多于本报告可比对的数量")
    assert "仅比对了最新的2件" in cut[-1][0]
    english = rows(HTTP_ACCEPT_LANGUAGE="en")
    assert english[-1][0].startswith("The last 90 days hold more orders than the report compares")
