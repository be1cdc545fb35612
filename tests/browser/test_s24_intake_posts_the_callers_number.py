"""The intake page asks for the caller's history and the duplicate hint by POST (brief, session
24): in a real browser, typing a regular caller's number still shows their earlier orders and
the possible duplicates, and no request the page makes carries the number in its address (the
access log and the browser's history keep addresses)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.models import WorkOrder

pytestmark = pytest.mark.browser


def test_olga_types_a_regular_callers_number_and_no_address_carries_it(town, open_as):
    earlier = list(
        WorkOrder.objects.filter(citizen_phone=town.regular_caller).values_list("number", flat=True)
    )
    assert earlier
    olga = open_as(town.d.olga)
    requests: list[tuple[str, str]] = []
    olga.on("request", lambda r: requests.append((r.method, r.url)))
    olga.goto("/intake/")
    form = olga.locator("#intake-form")

    form.locator("input[name=citizen_phone]").press_sequentially(town.regular_caller)
    expect(olga.locator("#caller-history ul.history li")).to_have_count(len(earlier))
    first = WorkOrder.objects.get(number=earlier[0])
    form.locator("input[name=title]").fill(first.title)
    form.locator("textarea[name=description]").fill(first.description)
    expect(olga.locator(f'#similar-orders [data-number="{first.number}"]').first).to_be_visible()

    digits = town.regular_caller[-8:]
    assert not [url for _method, url in requests if digits in url]
    asked = {(m, url.split("?")[0].rsplit("/intake/", 1)[-1]) for m, url in requests}
    assert ("POST", "caller-history") in asked and ("POST", "similar") in asked
    assert not [a for a in asked if a[0] == "GET" and a[1] in ("caller-history", "similar")]
