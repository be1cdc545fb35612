"""After logout the tab keeps no copy of the order list. htmx saved each page it pushed into the
history (the order search) to sessionStorage, with the citizens' full phone numbers, and left it
there after logout for the next person at the desk. Without that cache Back still shows the earlier
search: the browser asks the server for it again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STORED = "JSON.stringify(Object.assign({}, sessionStorage))"


def test_no_order_html_stays_in_the_tab_and_back_still_works(town, open_as):
    dan = open_as(town.d.dan)
    dan.goto("/orders/")
    form = dan.locator("[data-testid=search-form]")
    form.locator("input[name=phone]").fill(town.regular_caller)
    expect(dan).to_have_url(re.compile(r"\?search="))  # the search kept in the session
    rows = dan.locator("tr[data-number]")
    expect(rows.first).to_be_visible()
    first = dan.url
    form.locator("select[name=unit]").select_option(str(town.d.street.pk))
    expect(dan).not_to_have_url(first)
    assert "data-number" not in dan.evaluate(STORED)

    # Back: the first search again, whole (a page from the server, not a stored copy).
    dan.go_back()
    expect(dan).to_have_url(first)
    expect(form.locator("input[name=phone]")).to_have_value(town.regular_caller)
    expect(form.locator("select[name=unit]")).to_have_value("")
    expect(rows.first).to_be_visible()
    dan.go_forward()
    expect(form.locator("select[name=unit]")).to_have_value(str(town.d.street.pk))

    with dan.expect_navigation():
        dan.locator("form[action$='/logout/'] button").click()
    stored = dan.evaluate(STORED)
    # No page of it: htmx's cache is gone. (The search's address in the tab's history names
    # the search kept in the session, which ended with it: tests/web/test_order_search_phone.py.)
    assert "htmx-history-cache" not in stored
    assert "data-number" not in stored and "<tr" not in stored
