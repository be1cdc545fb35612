"""The order search in a real browser: Dan finds a caller's orders by the number as the caller
says it, narrows by unit, sorts, and the search stays in the URL (reload, share) and in the export.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from hotline.orders.models import WorkOrder
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def numbers(page) -> list[str]:
    return page.locator("tr[data-number]").evaluate_all("rows => rows.map(r => r.dataset.number)")


def test_dan_searches_by_phone_unit_and_sorts_and_the_url_keeps_it(town, open_as):
    d = town.d
    dan = open_as(d.dan)
    dan.goto("/orders/")
    form = dan.locator("[data-testid=search-form]")
    # The regular caller's number as spoken, with spaces and the country code.
    spoken = "+86 139 0176 2288"
    form.locator("input[name=phone]").press_sequentially(spoken)
    expect(dan).to_have_url(re.compile(r"phone=%2B86"))
    regular = set(
        WorkOrder.objects.filter(citizen_phone=town.regular_caller).values_list("number", flat=True)
    )
    expect(dan.locator("[data-testid=total]")).to_contain_text(f"{len(regular)} ")
    assert set(numbers(dan)) == regular

    form.locator("select[name=unit]").select_option(str(d.street.pk))
    expect(dan).to_have_url(re.compile(rf"unit={d.street.pk}"))
    at_street = {o.number for o in d.street.lead_orders.filter(citizen_phone=town.regular_caller)}
    expect(dan.locator("tr[data-number]")).to_have_count(len(at_street))

    # Oldest first by the header; the filters stay.
    with dan.expect_navigation():
        dan.locator("[data-testid=sort-registered]").click()
    expect(dan).to_have_url(re.compile(r"sort=registered"))
    shown = numbers(dan)
    assert shown == sorted(shown)
    screenshot(dan, "order-search", full_page=True)

    # A reload (or the link sent to a colleague) shows the same search.
    dan.reload()
    expect(form.locator("input[name=phone]")).to_have_value(spoken)
    expect(form.locator("select[name=unit]")).to_have_value(str(d.street.pk))
    assert numbers(dan) == shown

    # The export is this search, phones whole for the dispatcher.
    with dan.expect_download() as download:
        dan.locator("[data-testid=export-csv]").click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.reader(exported))
    assert sorted(r[0] for r in rows[1:]) == sorted(shown)
    assert all(town.regular_caller in r for r in rows[1:])


def test_una_exports_only_her_orders_with_numbers_masked(town, open_as):
    d = town.d
    una = open_as(d.una)
    una.goto("/orders/")
    expect(una.locator("input[name=phone]")).to_have_count(0)  # units cannot look up by phone
    with una.expect_download() as download:
        una.locator("[data-testid=export-xlsx]").click()
    from openpyxl import load_workbook

    with open(download.value.path(), "rb") as exported:
        sheet = load_workbook(io.BytesIO(exported.read())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert town.victors_order.number not in {r[0] for r in rows}
    assert rows and not any(town.regular_caller in (r[7] or "") for r in rows)
