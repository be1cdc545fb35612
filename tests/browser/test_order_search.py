"""The order search in a real browser: Dan finds a caller's orders by the number as the caller
says it, pages and sorts them and exports them, and the number never reaches the address bar;
without a number, the search stays in the URL (reload, share) and in the export.
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


def leaks(address: str, phone: str) -> bool:
    """Whether ``address`` holds six digits of ``phone`` in a row (bare or percent-encoded)."""
    digits = re.sub(r"%[0-9A-Fa-f]{2}|\D", "", address)
    return any(phone[i : i + 6] in digits for i in range(len(phone) - 5))


def addresses(page) -> list[str]:
    """Every address the page offers: links, forms, htmx requests."""
    return page.locator("a[href], form[action], [hx-get], [hx-post]").evaluate_all(
        """els => els.flatMap(e => [e.getAttribute('href'), e.getAttribute('action'),
                                    e.getAttribute('hx-get'), e.getAttribute('hx-post')])
                     .filter(Boolean)"""
    )


def assert_no_number(page, phone: str) -> None:
    assert not leaks(page.url, phone), page.url
    assert not [a for a in addresses(page) if leaks(a, phone)]


def test_dan_searches_by_phone_and_the_number_stays_out_of_the_address(town, open_as, monkeypatch):
    """The search, its pages, its sort, a reload and its export: the address bar (the browser's
    history, the login page's next after a logout) carries the id of the search, never the
    number."""
    from hotline.web import order_search

    monkeypatch.setattr(order_search, "PAGE_SIZE", 2)  # the live server runs in this process
    d, phone = town.d, town.regular_caller
    dan = open_as(d.dan)
    dan.goto("/orders/")
    form = dan.locator("[data-testid=search-form]")
    # The regular caller's number as spoken, with spaces and the country code.
    spoken = "+86 139 0176 2288"
    form.locator("input[name=phone]").press_sequentially(spoken)
    regular = set(WorkOrder.objects.filter(citizen_phone=phone).values_list("number", flat=True))
    assert len(regular) > 2  # more than a page
    expect(dan.locator("[data-testid=total]")).to_contain_text(f"{len(regular)} ")
    expect(dan).to_have_url(re.compile(r"/orders/\?search=[\w-]+$"))
    assert_no_number(dan, phone)
    screenshot(dan, "order-search-phone", full_page=True)

    # Every page of it, by the pager's links.
    seen = numbers(dan)
    while dan.locator(".pager a", has_text="›").count():
        with dan.expect_navigation():
            dan.locator(".pager a", has_text="›").click()
        expect(dan).to_have_url(re.compile(r"search=.*page="))
        assert_no_number(dan, phone)
        seen += numbers(dan)
    assert sorted(seen) == sorted(regular)

    # Oldest first by the header; the search stays.
    with dan.expect_navigation():
        dan.locator("[data-testid=sort-registered]").click()
    expect(dan).to_have_url(re.compile(r"search=.*sort=registered"))
    assert_no_number(dan, phone)
    shown = numbers(dan)
    assert shown == sorted(shown) and len(shown) == 2

    # A reload (Back, a bookmark in this session) shows the same search, the number in the form.
    dan.reload()
    expect(form.locator("input[name=phone]")).to_have_value(spoken)
    assert numbers(dan) == shown

    # The export is this search (every page), phones whole for the dispatcher.
    with dan.expect_download() as download:
        dan.locator("[data-testid=export-csv]").click()
    assert not leaks(download.value.url, phone)
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.reader(exported))
    assert sorted(r[0] for r in rows[1:]) == sorted(regular)
    assert all(phone in r for r in rows[1:])
    assert_no_number(dan, phone)

    # A number typed into the address is not searched: the form says how.
    dan.goto(f"/orders/?phone={phone}")
    expect(dan.locator("[data-testid=search-notice]")).to_be_visible()
    expect(dan.locator("tr[data-number]")).to_have_count(0)
    assert not leaks(dan.url, phone)


def test_dan_narrows_by_unit_and_sorts_and_the_url_keeps_it(town, open_as):
    """Without a phone number the search is a link: bookmark it, send it, reload it."""
    d = town.d
    dan = open_as(d.dan)
    dan.goto("/orders/")
    form = dan.locator("[data-testid=search-form]")
    form.locator("select[name=unit]").select_option(str(d.street.pk))
    expect(dan).to_have_url(re.compile(rf"unit={d.street.pk}"))
    expect(dan.locator("[data-testid=total]")).to_contain_text(f"{d.street.lead_orders.count()} ")

    with dan.expect_navigation():
        dan.locator("[data-testid=sort-registered]").click()
    expect(dan).to_have_url(re.compile(rf"(?=.*unit={d.street.pk}\b)(?=.*sort=registered\b)"))
    shown = numbers(dan)
    oldest_first = WorkOrder.objects.filter(number__in=shown).order_by("registered_at", "id")
    assert shown == [o.number for o in oldest_first]

    dan.reload()
    expect(form.locator("select[name=unit]")).to_have_value(str(d.street.pk))
    assert numbers(dan) == shown


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
