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
    dan.goto(f"/orders/?phone={town.regular_caller}")
    rows = dan.locator("tr[data-number]")
    expect(rows.first).to_be_visible()
    form = dan.locator("[data-testid=search-form]")
    form.locator("select[name=unit]").select_option(str(town.d.street.pk))
    expect(dan).to_have_url(re.compile(rf"unit={town.d.street.pk}"))
    assert "data-number" not in dan.evaluate(STORED)

    # Back: the first search again, whole (a page from the server, not a stored copy).
    dan.go_back()
    expect(dan).not_to_have_url(re.compile(r"unit="))
    expect(form.locator("input[name=phone]")).to_have_value(town.regular_caller)
    expect(form.locator("select[name=unit]")).to_have_value("")
    expect(rows.first).to_be_visible()
    dan.go_forward()
    expect(form.locator("select[name=unit]")).to_have_value(str(town.d.street.pk))

    with dan.expect_navigation():
        dan.locator("form[action$='/logout/'] button").click()
    stored = dan.evaluate(STORED)
    # No page of it: htmx's cache is gone. (The search's address, with the number, is in the
    # tab's history like any address: that is the phone-in-the-URL question, not this one.)
    assert "htmx-history-cache" not in stored
    assert "data-number" not in stored and "<tr" not in stored
